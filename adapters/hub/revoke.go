package hub

import (
	"github.com/orderalert/orderalert/application"
)

// revoke closes the sockets whose credential holds refuses, now and on connect until the next
// revoke.
type revoke struct {
	holds func(application.Credential) bool
}

// Revoke implements application.Dashboards: one message to the manager, which owns the registry.
func (h *Hub) Revoke(holds func(application.Credential) bool) {
	h.system.Root.Send(h.manager, &revoke{holds: holds})
}

// revoke closes every open socket whose credential no longer holds and keeps holds for the
// sockets that connect later: one may have passed its check on the upgrade just before the
// credential was revoked, and its connect arrive after this message.
func (m *manager) revoke(msg *revoke) {
	m.holds = msg.holds
	for e := range m.sockets.open() {
		m.closeIfRevoked(e)
	}
}

// closeIfRevoked closes e with 4401 if its credential no longer holds.
func (m *manager) closeIfRevoked(e *entry) {
	if e.closing || m.holds == nil || m.holds(e.cred) {
		return
	}
	m.sockets.stopSending(e)
	m.log.Info("closing a dashboard socket: its credential was revoked", "sid", e.page.sid, "employee", e.cred.EmpID, "code", application.CloseRevoked.Code)
	e.socket.Close(application.CloseRevoked)
}
