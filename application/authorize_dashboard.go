package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/shop"
)

// AuthorizeDashboard checks the credential of a socket upgrade (GET /ws/{sid}): a single-use
// ticket from POST /admin/ws/ticket, as browsers send it, or an admin token, as other clients
// may. The token's expiry is checked here only: an open socket is not cut when the token behind
// it expires, so that an unattended dashboard keeps ringing; it is closed when the token is
// revoked (SyncChanges).
type AuthorizeDashboard struct {
	Tokens Tokens
	Ledger TicketLedger
	Access *AccessCheck
}

// DashboardGrant is what an authorized upgrade opens the socket with.
type DashboardGrant struct {
	Credential Credential
	// Shops is what the employee sees now (its shop, or every shop for platform staff), before
	// the socket's ?shopId= narrows it.
	Shops shop.Scope
	// ShopID is the employee's shop, 0 for platform staff: presence lists a socket under it.
	ShopID int64
}

// Execute returns the credential the socket is opened with and what it may see. A ticket is
// tried when given, else the admin token; a ticket used before, an admin token passed as a
// ticket, or a credential whose token was revoked, is refused.
func (uc AuthorizeDashboard) Execute(ctx context.Context, ticket, adminToken string) (DashboardGrant, error) {
	role, value := RoleTicket, ticket
	if ticket == "" {
		role, value = RoleAdmin, adminToken
	}
	c, err := uc.Tokens.Verify(role, value)
	if err != nil {
		return DashboardGrant{}, err
	}
	cred := c.Credential()
	// Before the ticket is spent: a revoked holder's ticket is refused without a write.
	acc, err := uc.Access.Check(ctx, cred)
	if err != nil {
		return DashboardGrant{}, err
	}
	if role == RoleTicket {
		if err := uc.Ledger.Use(ctx, c.ID, c.ExpiresAt); err != nil {
			return DashboardGrant{}, fmt.Errorf("ticket of employee %d: %w", c.Subject, err)
		}
	}
	return DashboardGrant{Credential: cred, Shops: acc.Scope(), ShopID: acc.ShopID}, nil
}

// IssueTicket gives a logged-in admin a short-lived ticket to open the dashboard's socket,
// because browsers cannot send headers on a WebSocket and a long-lived token in a URL would end up
// in proxy logs. The ticket carries its parent token's id and version, so that the socket ends
// with the token.
type IssueTicket struct {
	Tokens Tokens
}

// Execute signs a ticket for the holder of the admin token with these claims, which the caller
// has checked.
func (uc IssueTicket) Execute(holder Claims) (Token, error) {
	t, err := uc.Tokens.Issue(RoleTicket, Claims{Subject: holder.Subject, Version: holder.Version, Parent: holder.ID, ShopID: holder.ShopID})
	if err != nil {
		return Token{}, fmt.Errorf("issue ticket: %w", err)
	}
	return t, nil
}

// IssueAdminToken mints an admin token for an account without its password (`orderalert token
// --admin ID`, for scripts on the server, which can read the secrets anyway). The token is of the
// account's current version, so it ends like any other.
type IssueAdminToken struct {
	Employees EmployeeRepository
	Tokens    Tokens
}

// Execute signs a token for the enabled account with id empID.
func (uc IssueAdminToken) Execute(ctx context.Context, empID int64) (Token, error) {
	e, err := uc.Employees.ByID(ctx, empID)
	if err == nil {
		err = e.CanLogIn()
	}
	if err != nil {
		return Token{}, fmt.Errorf("admin token for employee %d: %w", empID, err)
	}
	return uc.Tokens.Issue(RoleAdmin, Claims{Subject: e.ID, Version: e.TokenVersion, ShopID: e.ShopID})
}
