package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/spotflow/spotflow/models"
)

func (a *app) whoamiCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:         "whoami",
		Short:       "Show the logged-in user",
		Args:        cobra.NoArgs,
		Annotations: uses(asAppFlags...),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, formatTable, formatJSON); err != nil {
				return err
			}
			return a.whoami(cmd.Context(), format)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", formatTable, "output format: table or json")
	return cmd
}

func (a *app) whoami(ctx context.Context, format string) error {
	s, err := a.connect(ctx, asUser)
	if err != nil {
		return err
	}
	defer s.Close()
	me, err := s.client.Users.Me(ctx)
	if err != nil {
		return err
	}
	if format == formatJSON {
		return writeJSON(a.stdout, me)
	}
	return writeFields(a.stdout, meFields(me))
}

func meFields(me *models.PrivateUser) []field {
	return []field{
		{"Name", me.DisplayName},
		{"ID", me.ID},
		{"Email", me.Email},
		{"Country", me.Country},
		{"Product", string(me.Product)},
		{"Followers", count(me.Followers.Total)},
		{"URI", me.URI},
	}
}
