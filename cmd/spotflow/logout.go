package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/spotflow/spotflow/auth"
)

func (a *app) logoutCmd() *cobra.Command {
	return &cobra.Command{
		Use:         "logout",
		Short:       "Forget the stored login token",
		Args:        cobra.NoArgs,
		Annotations: uses("token-file", "fake"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.logout(cmd.Context())
		},
	}
}

func (a *app) logout(ctx context.Context) error {
	if a.g.fake {
		fmt.Fprintln(a.stdout, "Nothing to forget: logins with --fake are never stored.")
		return nil
	}
	fs, err := a.tokenStore()
	if err != nil {
		return err
	}
	if _, err := fs.Load(ctx); errors.Is(err, auth.ErrNoToken) {
		fmt.Fprintf(a.stdout, "Not logged in (no token at %s).\n", fs.Path())
		return nil
	}
	if err := fs.Remove(); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Logged out: removed %s.\n", fs.Path())
	return nil
}
