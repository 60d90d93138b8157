package memory

import (
	"context"
	"sync"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/customer"
)

var _ application.CustomerRepository = (*Customers)(nil)

// Customers keeps the mini-program's users in memory.
type Customers struct {
	mu     sync.Mutex
	byOpen map[string]customer.Customer
	last   int64
}

// ByOpenID implements application.CustomerRepository.
func (c *Customers) ByOpenID(_ context.Context, openid string, now time.Time) (customer.Customer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if found, ok := c.byOpen[openid]; ok {
		return found, nil
	}
	if c.byOpen == nil {
		c.byOpen = map[string]customer.Customer{}
	}
	c.last++
	created := customer.Customer{ID: c.last, OpenID: openid, CreatedAt: now}
	c.byOpen[openid] = created
	return created, nil
}

// ByID implements application.CustomerRepository.
func (c *Customers) ByID(_ context.Context, id int64) (customer.Customer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, found := range c.byOpen {
		if found.ID == id {
			return found, nil
		}
	}
	return customer.Customer{}, customer.ErrNotFound
}
