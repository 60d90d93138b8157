package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/channel"
)

// AddChannel is `orderalert channel add`: a shop's escalations go to one more channel.
type AddChannel struct {
	Channels ChannelRepository
	Shops    ShopRepository
	Clock    Clock
}

// Execute checks the channel (its kind, URL and secret) and its shop, and stores it.
func (uc AddChannel) Execute(ctx context.Context, c channel.Channel) (channel.Channel, error) {
	if err := c.Validate(); err != nil {
		return channel.Channel{}, err
	}
	if _, err := uc.Shops.Get(ctx, c.ShopID); err != nil {
		return channel.Channel{}, fmt.Errorf("channel of shop %d: %w", c.ShopID, err)
	}
	c.CreatedAt = uc.Clock.Now()
	return uc.Channels.Add(ctx, c)
}

// ListChannels is `orderalert channel list`.
type ListChannels struct {
	Channels ChannelRepository
}

// Execute returns every channel in id order.
func (uc ListChannels) Execute(ctx context.Context) ([]channel.Channel, error) {
	return uc.Channels.List(ctx)
}

// RemoveChannel is `orderalert channel remove ID`: no new delivery goes to it, and those
// waiting for it end unsent.
type RemoveChannel struct {
	Channels ChannelRepository
}

// Execute removes the channel; an unknown id is channel.ErrNotFound.
func (uc RemoveChannel) Execute(ctx context.Context, id int64) (channel.Channel, error) {
	return uc.Channels.Remove(ctx, id)
}
