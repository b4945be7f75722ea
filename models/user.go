package models

import "github.com/go-json-experiment/json/jsontext"

// Product is a user's subscription level. Unknown values are kept as sent.
type Product string

// Known subscription levels.
const (
	ProductPremium Product = "premium"
	ProductFree    Product = "free"
	ProductOpen    Product = "open"
)

// PrivateUser is the current user's own profile (PrivateUserObject). Country,
// Email, ExplicitContent and Product need the user-read-private or
// user-read-email scope.
type PrivateUser struct {
	AccountID       string                   `json:"account_id"`
	Country         string                   `json:"country"`
	DisplayName     string                   `json:"display_name"`
	Email           string                   `json:"email"` // unverified
	ExplicitContent *ExplicitContentSettings `json:"explicit_content"`
	ExternalURLs    ExternalURLs             `json:"external_urls"`
	Followers       Followers                `json:"followers"`
	Href            string                   `json:"href"`
	ID              string                   `json:"id"`
	Images          []Image                  `json:"images"`
	Product         Product                  `json:"product"`
	Type            string                   `json:"type"` // "user"
	URI             string                   `json:"uri"`
	Extra           jsontext.Value           `json:",unknown"`
}

// PublicUser is the public profile of a user (PublicUserObject).
type PublicUser struct {
	DisplayName  string         `json:"display_name"`
	ExternalURLs ExternalURLs   `json:"external_urls"`
	Followers    Followers      `json:"followers"`
	Href         string         `json:"href"`
	ID           string         `json:"id"`
	Images       []Image        `json:"images"`
	Type         string         `json:"type"` // "user"
	URI          string         `json:"uri"`
	Extra        jsontext.Value `json:",unknown"`
}

// ExplicitContentSettings are the user's explicit content settings
// (ExplicitContentSettingsObject).
type ExplicitContentSettings struct {
	FilterEnabled bool           `json:"filter_enabled"` // explicit content should not be played
	FilterLocked  bool           `json:"filter_locked"`  // the user cannot change the setting
	Extra         jsontext.Value `json:",unknown"`
}
