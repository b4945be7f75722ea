package auth

// Scopes of the Spotify Web API, as listed by the securitySchemes of its
// OpenAPI definition. Request only what the app needs: users see the list
// on the consent page.
const (
	// ScopeAppRemoteControl lets the app communicate with the Spotify app on the user's device.
	ScopeAppRemoteControl = "app-remote-control"
	// ScopePlaylistReadPrivate reads the user's private playlists.
	ScopePlaylistReadPrivate = "playlist-read-private"
	// ScopePlaylistReadCollaborative reads the user's collaborative playlists.
	ScopePlaylistReadCollaborative = "playlist-read-collaborative"
	// ScopePlaylistModifyPublic manages the user's public playlists.
	ScopePlaylistModifyPublic = "playlist-modify-public"
	// ScopePlaylistModifyPrivate manages the user's private playlists.
	ScopePlaylistModifyPrivate = "playlist-modify-private"
	// ScopeUserLibraryRead reads the user's saved content.
	ScopeUserLibraryRead = "user-library-read"
	// ScopeUserLibraryModify manages the user's saved content.
	ScopeUserLibraryModify = "user-library-modify"
	// ScopeUserReadPrivate reads the user's subscription details.
	ScopeUserReadPrivate = "user-read-private"
	// ScopeUserReadEmail reads the user's email address.
	ScopeUserReadEmail = "user-read-email"
	// ScopeUserFollowRead reads whom the user follows.
	ScopeUserFollowRead = "user-follow-read"
	// ScopeUserFollowModify manages whom the user follows.
	ScopeUserFollowModify = "user-follow-modify"
	// ScopeUserTopRead reads the user's top artists and tracks.
	ScopeUserTopRead = "user-top-read"
	// ScopeUserReadPlaybackPosition reads the user's position in content they played.
	ScopeUserReadPlaybackPosition = "user-read-playback-position"
	// ScopeUserReadPlaybackState reads the user's playback state and Connect devices.
	ScopeUserReadPlaybackState = "user-read-playback-state"
	// ScopeUserReadRecentlyPlayed reads the user's recently played items.
	ScopeUserReadRecentlyPlayed = "user-read-recently-played"
	// ScopeUserReadCurrentlyPlaying reads what the user is playing now.
	ScopeUserReadCurrentlyPlaying = "user-read-currently-playing"
	// ScopeUserModifyPlaybackState controls playback on the user's clients and devices.
	ScopeUserModifyPlaybackState = "user-modify-playback-state"
	// ScopeUGCImageUpload uploads images (playlist covers) on the user's behalf.
	ScopeUGCImageUpload = "ugc-image-upload"
	// ScopeStreaming plays content, e.g. with the Web Playback SDK.
	ScopeStreaming = "streaming"
)

// AllScopes returns every scope the Web API defines, in the order of its
// OpenAPI definition. A fresh slice each call, so callers may change it.
func AllScopes() []string {
	return []string{
		ScopeAppRemoteControl,
		ScopePlaylistReadPrivate,
		ScopePlaylistReadCollaborative,
		ScopePlaylistModifyPublic,
		ScopePlaylistModifyPrivate,
		ScopeUserLibraryRead,
		ScopeUserLibraryModify,
		ScopeUserReadPrivate,
		ScopeUserReadEmail,
		ScopeUserFollowRead,
		ScopeUserFollowModify,
		ScopeUserTopRead,
		ScopeUserReadPlaybackPosition,
		ScopeUserReadPlaybackState,
		ScopeUserReadRecentlyPlayed,
		ScopeUserReadCurrentlyPlaying,
		ScopeUserModifyPlaybackState,
		ScopeUGCImageUpload,
		ScopeStreaming,
	}
}
