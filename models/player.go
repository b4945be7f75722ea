package models

import "github.com/go-json-experiment/json/jsontext"

// DeviceType is the kind of a playback device. Spotify adds kinds over time;
// unknown ones are kept as sent.
type DeviceType string

// Known device types.
const (
	DeviceComputer    DeviceType = "Computer"
	DeviceTablet      DeviceType = "Tablet"
	DeviceSmartphone  DeviceType = "Smartphone"
	DeviceSmartwatch  DeviceType = "Smartwatch"
	DeviceSpeaker     DeviceType = "Speaker"
	DeviceTV          DeviceType = "TV"
	DeviceAVR         DeviceType = "AVR"
	DeviceSTB         DeviceType = "STB"
	DeviceAudioDongle DeviceType = "AudioDongle"
	DeviceGameConsole DeviceType = "GameConsole"
	DeviceCastVideo   DeviceType = "CastVideo"
	DeviceCastAudio   DeviceType = "CastAudio"
	DeviceAutomobile  DeviceType = "Automobile"
	DeviceUnknown     DeviceType = "Unknown"
)

// Device is a playback device (DeviceObject).
type Device struct {
	ID               string     `json:"id"` // may be empty
	IsActive         bool       `json:"is_active"`
	IsPrivateSession bool       `json:"is_private_session"`
	IsRestricted     bool       `json:"is_restricted"` // no Web API commands accepted
	Name             string     `json:"name"`
	Type             DeviceType `json:"type"`
	// VolumePercent is 0-100, or nil when the device does not report it.
	VolumePercent  *int           `json:"volume_percent"`
	SupportsVolume bool           `json:"supports_volume"`
	Extra          jsontext.Value `json:",unknown"`
}

// Context is what playback was started from: an album, artist, playlist or
// show (ContextObject).
type Context struct {
	Type         string         `json:"type"` // "artist", "playlist", "album", "show", ...
	Href         string         `json:"href"`
	ExternalURLs ExternalURLs   `json:"external_urls"`
	URI          string         `json:"uri"`
	Extra        jsontext.Value `json:",unknown"`
}

// RepeatState is the repeat mode of the player.
type RepeatState string

// Repeat modes.
const (
	RepeatOff     RepeatState = "off"
	RepeatTrack   RepeatState = "track"
	RepeatContext RepeatState = "context"
)

// PlayingType is the type of what is playing. Unknown values are kept.
type PlayingType string

// Known playing types.
const (
	PlayingTrack   PlayingType = "track"
	PlayingEpisode PlayingType = "episode"
	PlayingAd      PlayingType = "ad"
	PlayingUnknown PlayingType = "unknown"
)

// CurrentlyPlayingContext is the full playback state (the answer of
// GET /me/player; CurrentlyPlayingContextObject).
type CurrentlyPlayingContext struct {
	Device               Device         `json:"device"`
	RepeatState          RepeatState    `json:"repeat_state"`
	ShuffleState         bool           `json:"shuffle_state"`
	Context              *Context       `json:"context"` // nil when not playing from a context
	Timestamp            UnixMillis     `json:"timestamp"`
	ProgressMS           int            `json:"progress_ms"`
	IsPlaying            bool           `json:"is_playing"`
	Item                 Playable       `json:"item"`
	CurrentlyPlayingType PlayingType    `json:"currently_playing_type"`
	Actions              Actions        `json:"actions"`
	Extra                jsontext.Value `json:",unknown"`
}

// CurrentlyPlaying is what the user is playing (the answer of
// GET /me/player/currently-playing; CurrentlyPlayingObject).
type CurrentlyPlaying struct {
	Context              *Context       `json:"context"`
	Timestamp            UnixMillis     `json:"timestamp"`
	ProgressMS           int            `json:"progress_ms"`
	IsPlaying            bool           `json:"is_playing"`
	Item                 Playable       `json:"item"`
	CurrentlyPlayingType PlayingType    `json:"currently_playing_type"`
	Actions              Actions        `json:"actions"`
	Extra                jsontext.Value `json:",unknown"`
}

// DisallowFlags are the playback actions that may be disallowed; a true
// flag means the action is not allowed now.
type DisallowFlags struct {
	InterruptingPlayback  bool `json:"interrupting_playback"`
	Pausing               bool `json:"pausing"`
	Resuming              bool `json:"resuming"`
	Seeking               bool `json:"seeking"`
	SkippingNext          bool `json:"skipping_next"`
	SkippingPrev          bool `json:"skipping_prev"`
	TogglingRepeatContext bool `json:"toggling_repeat_context"`
	TogglingShuffle       bool `json:"toggling_shuffle"`
	TogglingRepeatTrack   bool `json:"toggling_repeat_track"`
	TransferringPlayback  bool `json:"transferring_playback"`
}

// Disallows lists the playback actions not allowed now (DisallowsObject).
type Disallows struct {
	DisallowFlags `json:",inline"`
	Extra         jsontext.Value `json:",unknown"`
}

// Actions is the "actions" member of a playback state. The spec makes it a
// DisallowsObject (flags directly inside); Spotify sends the flags nested,
// as {"disallows": {"resuming": true}}. Both decode; [Actions.Disallowed]
// merges them.
type Actions struct {
	DisallowFlags `json:",inline"`
	Disallows     *Disallows     `json:"disallows,omitzero"`
	Extra         jsontext.Value `json:",unknown"`
}

// Disallowed returns the disallowed actions, from either shape.
func (a *Actions) Disallowed() DisallowFlags {
	f := a.DisallowFlags
	if d := a.Disallows; d != nil {
		f.InterruptingPlayback = f.InterruptingPlayback || d.InterruptingPlayback
		f.Pausing = f.Pausing || d.Pausing
		f.Resuming = f.Resuming || d.Resuming
		f.Seeking = f.Seeking || d.Seeking
		f.SkippingNext = f.SkippingNext || d.SkippingNext
		f.SkippingPrev = f.SkippingPrev || d.SkippingPrev
		f.TogglingRepeatContext = f.TogglingRepeatContext || d.TogglingRepeatContext
		f.TogglingShuffle = f.TogglingShuffle || d.TogglingShuffle
		f.TogglingRepeatTrack = f.TogglingRepeatTrack || d.TogglingRepeatTrack
		f.TransferringPlayback = f.TransferringPlayback || d.TransferringPlayback
	}
	return f
}

// Queue is the user's queue (QueueObject).
type Queue struct {
	CurrentlyPlaying Playable       `json:"currently_playing"`
	Queue            []Playable     `json:"queue"`
	Extra            jsontext.Value `json:",unknown"`
}

// PlayHistory is one recently played track (PlayHistoryObject).
type PlayHistory struct {
	Track    Track          `json:"track"`
	PlayedAt Time           `json:"played_at"`
	Context  *Context       `json:"context"` // nil when not played from a context
	Extra    jsontext.Value `json:",unknown"`
}
