package main

import (
	"context"
	"fmt"
	"log/slog"

	"go.uber.org/fx"
	"golang.org/x/crypto/bcrypt"

	"github.com/orderalert/orderalert/adapters/auth"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/domain/shop"
	"github.com/orderalert/orderalert/test/load"
)

// seedShops gives the running server's database n shops (shop 1 is the schema's) and one employee
// of each, through the application's use cases as `orderalert shop create` and `orderalert admin
// create --shop N` do, and mints each employee's admin token as `orderalert token --admin ID`
// does. It runs in this process, on the server's database, before anything is measured.
func seedShops(databaseURL, dataDir string, n int) ([]load.Shop, error) {
	cfg := bootstrap.DefaultConfig()
	cfg.DatabaseURL, cfg.DataDir = databaseURL, dataDir
	var shops []load.Shop
	seed := func(create application.CreateShop, staff application.CreateEmployee, tokens application.IssueAdminToken) error {
		ctx := context.Background()
		ids := []int64{shop.Default}
		for i := 2; i <= n; i++ {
			s, err := create.Execute(ctx, employee.Access{}, fmt.Sprintf("门店 %d", i))
			if err != nil {
				return err
			}
			ids = append(ids, s.ID)
		}
		for _, id := range ids {
			password, err := bootstrap.RandomPassword()
			if err != nil {
				return err
			}
			username := fmt.Sprintf("shop%d", id)
			e, err := staff.Execute(ctx, username, username, password, application.Workplace{ShopID: id})
			if err != nil {
				return err
			}
			t, err := tokens.Execute(ctx, e.ID)
			if err != nil {
				return err
			}
			shops = append(shops, load.Shop{ID: id, AdminToken: t.Value})
		}
		return nil
	}
	app := fx.New(bootstrap.Tools(cfg, slog.New(slog.DiscardHandler), seed), fx.NopLogger, quickPasswords)
	if err := app.Err(); err != nil {
		return nil, fmt.Errorf("seed %d shops: %w", n, err)
	}
	// Started and stopped as a command is, so that its database connections are closed.
	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		return nil, err
	}
	return shops, app.Stop(ctx)
}

// quickPasswords hashes the seeded accounts' passwords at bcrypt's lowest cost: nobody logs in
// with them (their tokens are minted), and a thousand hashes at the default cost would take the
// machine a minute.
var quickPasswords = fx.Decorate(func(application.PasswordHasher) application.PasswordHasher {
	return auth.Bcrypt{Cost: bcrypt.MinCost}
})
