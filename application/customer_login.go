package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/customer"
)

// CustomerLogin is the mini-program's login (POST /user/user/login): WeChat vouches for the
// code, the openid names the customer, and the service issues the customer's token.
type CustomerLogin struct {
	WeChat    WeChatSessions
	Customers CustomerRepository
	Tokens    Tokens
	Clock     Clock
}

// CustomerSession is what a login returns: sky-take-out's UserLoginVO.
type CustomerSession struct {
	Customer customer.Customer
	Token    Token
}

// Execute logs the code's user in.
func (uc CustomerLogin) Execute(ctx context.Context, code string) (CustomerSession, error) {
	if err := customer.CheckCode(code); err != nil {
		return CustomerSession{}, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	openid, err := uc.WeChat.OpenID(ctx, code)
	if err != nil {
		return CustomerSession{}, fmt.Errorf("customer login: %w", err)
	}
	c, err := uc.Customers.ByOpenID(ctx, openid, uc.Clock.Now())
	if err != nil {
		return CustomerSession{}, fmt.Errorf("customer login: %w", err)
	}
	token, err := uc.Tokens.Issue(RoleUser, Claims{Subject: c.ID})
	if err != nil {
		return CustomerSession{}, fmt.Errorf("customer login: %w", err)
	}
	return CustomerSession{Customer: c, Token: token}, nil
}
