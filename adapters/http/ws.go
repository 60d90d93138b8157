package http

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/application"
)

// refusedDrainLimit bounds what is read away from a client whose frames were refused.
const refusedDrainLimit = 64 << 10

// maxClientFrame is the largest message a dashboard may send (1009 past it); it has little to say.
const maxClientFrame = 4 << 10

// WSConfig tunes the dashboard sockets.
type WSConfig struct {
	PingInterval   time.Duration
	WriteTimeout   time.Duration
	AllowedOrigins []string // browser origins allowed besides the request's own
	MaxConnections int      // dashboards on this instance; past it upgrades get 503
	MaxPerAdmin    int      // dashboards per admin account; past it upgrades get 429
}

// slotClaimWindow is how long an upgrade's slot waits for the socket's handler. fasthttp starts
// the handler right after writing the 101, which its write timeout bounds; a handler that comes
// later still finds its slot gone and closes the socket (1013) rather than overfill the count.
const slotClaimWindow = time.Minute

// Refusals of an upgrade, answered by the error table.
var (
	errDraining      = errors.New("the instance is shutting down")
	errForeignOrigin = errors.New("origin not allowed")
)

var validSID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

type wsHandler struct {
	cfg        WSConfig
	slots      *wsSlots
	dashboards application.Dashboards
	presence   application.ScreenTracker
	authorize  application.AuthorizeDashboard
	draining   func() bool
	log        *slog.Logger
	observer   Observer
}

// Locals that carry the checked options and the socket's slot from admit to its handler.
const (
	localDashboard = "dashboard"
	localScreen    = "screen"
	localSlot      = "wsSlot"
)

// admit runs every check before the upgrade, so that a refused client gets a plain HTTP status
// (contrib/websocket's own origin check would answer 426).
func (w *wsHandler) admit(c *fiber.Ctx) error {
	if !websocket.IsWebSocketUpgrade(c) {
		return fiber.ErrUpgradeRequired
	}
	if w.draining() {
		return errDraining
	}
	if !w.originAllowed(c) {
		return errForeignOrigin
	}
	opts, err := dashboardOptions(c.Params("sid"), c.Query("lastAlertId"), c.Query("heartbeat"), c.Query("events"))
	if err != nil {
		return err
	}
	named, err := namedShops(c)
	if err != nil {
		return err
	}
	// Checked again exactly below; this spares a ticket and a database write when full.
	if w.slots.full(opts.SID) {
		return errInstanceFull
	}
	grant, err := w.authorize.Execute(c.UserContext(), c.Query("ticket"), bearer(c, "token"))
	if err != nil {
		return err
	}
	if opts.Shops, err = grant.Shops.Narrow(named); err != nil {
		return err
	}
	cred := grant.Credential
	opts.AdminID, opts.TokenID, opts.TokenVersion = cred.EmpID, cred.TokenID, cred.Version
	slot, err := w.slots.reserve(cred.EmpID, opts.SID)
	if errors.Is(err, errAdminFull) {
		return fmt.Errorf("%w: 上限 %d 个", err, w.cfg.MaxPerAdmin)
	}
	if err != nil {
		return err
	}
	c.Locals(localDashboard, opts)
	c.Locals(localScreen, screenOf(opts, grant, named))
	c.Locals(localSlot, slot)
	err = c.Next()
	if err != nil || !c.Context().Hijacked() {
		slot.release() // the upgrade failed: no handler will run
	}
	return err
}

// screenOf is how presence lists the socket: under the employee's shop, or for platform staff
// under the shops it named (none: every shop).
func screenOf(opts application.DashboardOptions, grant application.DashboardGrant, named []int64) application.Screen {
	s := application.Screen{SID: opts.SID, EmployeeID: opts.AdminID, ShopID: grant.ShopID}
	if grant.ShopID == 0 && len(named) > 0 {
		s.ShopIDs = opts.Shops.Shops() // sorted, without duplicates
	}
	return s
}

// dashboardOptions reads the socket's sid (from the path) and its query parameters; the sid is
// copied, because Fiber's strings point into a buffer that is reused after the request.
// ?events=1 implies ?heartbeat=1: a client that understands events also reads heartbeats.
func dashboardOptions(sid, lastAlertID, heartbeat, events string) (application.DashboardOptions, error) {
	if !validSID.MatchString(sid) {
		return application.DashboardOptions{}, badRequestf("sid 应为 1–64 个字母、数字、_ 或 -")
	}
	opts := application.DashboardOptions{SID: strings.Clone(sid), Events: events == "1", Heartbeat: heartbeat == "1" || events == "1"}
	if lastAlertID != "" {
		id, err := strconv.ParseInt(lastAlertID, 10, 64)
		if err != nil || id < 0 {
			return application.DashboardOptions{}, badRequestf("lastAlertId 必须是非负整数")
		}
		opts.LastAlertID = &id
	}
	return opts, nil
}

// originAllowed: a browser's Origin must be the request's own (as a trusted proxy forwards it)
// or one configured; clients that send no Origin are not browsers and are judged by their
// credential.
func (w *wsHandler) originAllowed(c *fiber.Ctx) bool {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	// Both read X-Forwarded-Proto and -Host only from a trusted proxy (fiberProxyConfig).
	scheme, host := strings.ToLower(strings.TrimSpace(c.Protocol())), c.Hostname()
	if strings.EqualFold(u.Scheme, scheme) && strings.EqualFold(u.Host, host) {
		return true
	}
	for _, allowed := range w.cfg.AllowedOrigins {
		if strings.EqualFold(strings.TrimRight(allowed, "/"), origin) {
			return true
		}
	}
	return false
}

// serve is one socket's handler: it attaches the socket to the hub and does the read side
// (ws_read.go) until the socket ends. It returns only after the socket refuses further writes,
// because fasthttp reuses the connection object afterwards.
func (w *wsHandler) serve(c *websocket.Conn) {
	opts, _ := c.Locals(localDashboard).(application.DashboardOptions)
	log := loggerIn(c.Locals(localLog), w.log)
	slot, _ := c.Locals(localSlot).(*wsSlot)
	s := newSocket(c, w.cfg.WriteTimeout, w.observer)
	if !slot.claim() {
		log.Warn("a dashboard socket's slot expired before its handler ran; closing it", "sid", opts.SID)
		s.Close(application.CloseTryAgain)
		s.end()
		return
	}
	defer slot.release()
	detach, err := w.dashboards.Attach(s, opts)
	if err != nil {
		s.Close(application.CloseShutdown)
		s.end()
		return
	}
	screenAt, _ := c.Locals(localScreen).(application.Screen)
	screen := w.presence.Opened(screenAt)
	refused := false
	// Deferred, so that even a panic below detaches the socket and ends it before the
	// connection goes back to fasthttp's pool.
	defer func() {
		screen.Closed()
		if r := recover(); r != nil {
			log.Error("dashboard socket handler panicked", "sid", opts.SID, "panic", r)
			s.Close(application.CloseInternal)
		}
		detach()
		// A client's close, or a frame the server refused, is answered by end, with the
		// reason the server had, or normal closure.
		s.end()
		if refused {
			// After the close frame to a refused client: a flood's unread bytes would make
			// the kernel reset the connection, and the reset can destroy the close frame.
			closeWrite(s.raw)
			drain(c.NetConn(), refusedDrainLimit, closeFrameWait, closeFrameWait)
		}
	}()
	// The connection fasthttp hands over, not the raw one: it may hold bytes already read.
	refused = w.read(c.NetConn(), s, &stateReader{events: opts.Events, screen: screen}, log, opts.SID)
}

func (w *wsHandler) recover(c *websocket.Conn) {
	if r := recover(); r != nil {
		loggerIn(c.Locals(localLog), w.log).Error("dashboard socket handler panicked", "panic", r)
		_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseInternalServerErr, ""), time.Now().Add(closeFrameWait))
	}
}

func (s *Server) routeWS(w *wsHandler) {
	s.App.Get("/ws/:sid", w.admit, websocket.New(w.serve, websocket.Config{
		RecoverHandler: w.recover,
		// Frames are written by socket.Send with its own pooled buffer; the library writes only
		// control frames, so an idle socket need not keep a write buffer of its own.
		WriteBufferPool: &sync.Pool{},
		// The library never reads (frameReader does, without a buffer): this is the smallest
		// read buffer it will allocate.
		ReadBufferSize: 125,
		// Origins stays at its default: admit has checked it and answers 403, not 426.
	}))
}
