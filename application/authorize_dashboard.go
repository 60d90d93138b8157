package application

import (
	"context"
	"fmt"
)

// AuthorizeDashboard checks the credential of a socket upgrade (GET /ws/{sid}): a single-use
// ticket from POST /admin/ws/ticket, as browsers send it, or an admin token, as other clients
// may. The credential is checked here only: an open socket is not cut when the token behind it
// expires, so that an unattended dashboard keeps ringing.
type AuthorizeDashboard struct {
	Tokens  Tokens
	Tickets TicketVerifier
	Ledger  TicketLedger
}

// Execute returns the employee the socket belongs to. A ticket is tried when given, else the
// admin token; a ticket used before, or an admin token passed as a ticket, is refused.
func (uc AuthorizeDashboard) Execute(ctx context.Context, ticket, adminToken string) (int64, error) {
	if ticket == "" {
		return uc.Tokens.Verify(RoleAdmin, adminToken)
	}
	t, err := uc.Tickets.VerifyTicket(ticket)
	if err != nil {
		return 0, err
	}
	if err := uc.Ledger.Use(ctx, t.ID, t.ExpiresAt); err != nil {
		return 0, fmt.Errorf("ticket of employee %d: %w", t.EmpID, err)
	}
	return t.EmpID, nil
}

// IssueTicket gives a logged-in admin a short-lived ticket to open the dashboard's socket,
// because browsers cannot send headers on a WebSocket and a long-lived token in a URL would end up
// in proxy logs.
type IssueTicket struct {
	Tokens Tokens
}

// Execute signs a ticket for employee empID.
func (uc IssueTicket) Execute(empID int64) (Token, error) {
	t, err := uc.Tokens.Issue(RoleTicket, empID)
	if err != nil {
		return Token{}, fmt.Errorf("issue ticket: %w", err)
	}
	return t, nil
}
