package models

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/spotflow/spotflow/internal/contract"
)

// schemaTypes maps every schema of the OpenAPI spec to its Go type.
var schemaTypes = map[string]any{
	"LinkedTrackObject":                  LinkedTrack{},
	"TrackRestrictionObject":             TrackRestriction{},
	"AlbumRestrictionObject":             AlbumRestriction{},
	"EpisodeRestrictionObject":           EpisodeRestriction{},
	"ChapterRestrictionObject":           ChapterRestriction{},
	"ArtistObject":                       Artist{},
	"SimplifiedArtistObject":             SimplifiedArtist{},
	"PlayHistoryObject":                  PlayHistory{},
	"PlaylistTrackObject":                PlaylistItem{},
	"QueueObject":                        Queue{},
	"CurrentlyPlayingContextObject":      CurrentlyPlayingContext{},
	"DisallowsObject":                    Disallows{},
	"ErrorObject":                        Error{},
	"PrivateUserObject":                  PrivateUser{},
	"PublicUserObject":                   PublicUser{},
	"AudioAnalysisObject":                AudioAnalysis{},
	"TimeIntervalObject":                 TimeInterval{},
	"SectionObject":                      Section{},
	"SegmentObject":                      Segment{},
	"TimeSignature":                      TimeSignature(0),
	"Tempo":                              Tempo(0),
	"Loudness":                           Loudness(0),
	"Key":                                Key(0),
	"Mode":                               Mode(0),
	"AudioFeaturesObject":                AudioFeatures{},
	"SimplifiedTrackObject":              SimplifiedTrack{},
	"DeviceObject":                       Device{},
	"CursorObject":                       Cursor{},
	"CursorPagingObject":                 CursorPage[any]{},
	"CursorPagingPlayHistoryObject":      CursorPagingPlayHistory{},
	"CursorPagingSimplifiedArtistObject": CursorPagingSimplifiedArtist{},
	"PagingObject":                       Page[any]{},
	"PagingPlaylistObject":               PagingPlaylist{},
	"PagingFeaturedPlaylistObject":       PagingFeaturedPlaylist{},
	"PagingArtistDiscographyAlbumObject": PagingArtistDiscographyAlbum{},
	"PagingSimplifiedAlbumObject":        PagingSimplifiedAlbum{},
	"PagingSavedAlbumObject":             PagingSavedAlbum{},
	"PagingSimplifiedTrackObject":        PagingSimplifiedTrack{},
	"PagingSavedTrackObject":             PagingSavedTrack{},
	"PagingTrackObject":                  PagingTrack{},
	"PagingPlaylistTrackObject":          PagingPlaylistTrack{},
	"PagingSimplifiedShowObject":         PagingSimplifiedShow{},
	"PagingSavedShowObject":              PagingSavedShow{},
	"PagingSimplifiedEpisodeObject":      PagingSimplifiedEpisode{},
	"PagingSavedEpisodeObject":           PagingSavedEpisode{},
	"PagingSimplifiedAudiobookObject":    PagingSimplifiedAudiobook{},
	"PagingArtistObject":                 PagingArtist{},
	"PagingSimplifiedChapterObject":      PagingSimplifiedChapter{},
	"RecommendationsObject":              Recommendations{},
	"RecommendationSeedObject":           RecommendationSeed{},
	"SavedAlbumObject":                   SavedAlbum{},
	"SavedTrackObject":                   SavedTrack{},
	"SavedEpisodeObject":                 SavedEpisode{},
	"SavedShowObject":                    SavedShow{},
	"PlaylistObject":                     Playlist{},
	"SimplifiedPlaylistObject":           SimplifiedPlaylist{},
	"PlaylistTracksRefObject":            PlaylistTracksRef{},
	"PlaylistUserObject":                 PlaylistUser{},
	"PlaylistOwnerObject":                PlaylistOwner{},
	"CategoryObject":                     Category{},
	"TrackObject":                        Track{},
	"EpisodeObject":                      Episode{},
	"SimplifiedEpisodeObject":            SimplifiedEpisode{},
	"EpisodeBase":                        EpisodeBase{},
	"ResumePointObject":                  ResumePoint{},
	"ShowBase":                           ShowBase{},
	"ShowObject":                         Show{},
	"SimplifiedShowObject":               SimplifiedShow{},
	"AudiobookBase":                      AudiobookBase{},
	"AudiobookObject":                    Audiobook{},
	"SimplifiedAudiobookObject":          SimplifiedAudiobook{},
	"AlbumBase":                          AlbumBase{},
	"SimplifiedAlbumObject":              SimplifiedAlbum{},
	"ArtistDiscographyAlbumObject":       ArtistDiscographyAlbum{},
	"ChapterObject":                      Chapter{},
	"SimplifiedChapterObject":            SimplifiedChapter{},
	"ChapterBase":                        ChapterBase{},
	"AlbumObject":                        Album{},
	"ContextObject":                      Context{},
	"CopyrightObject":                    Copyright{},
	"AuthorObject":                       Author{},
	"NarratorObject":                     Narrator{},
	"ExternalIdObject":                   ExternalIDs{},
	"ExternalUrlObject":                  ExternalURLs{},
	"FollowersObject":                    Followers{},
	"ImageObject":                        Image{},
	"ExplicitContentSettingsObject":      ExplicitContentSettings{},
	"CurrentlyPlayingObject":             CurrentlyPlaying{},
	"SavedAudiobookObject":               SavedAudiobook{},
	"PagingSavedAudiobookObject":         PagingSavedAudiobook{},
}

// responseTypes maps the spec's object-shaped responses to their Go types.
var responseTypes = map[string]any{
	"ManyAlbums":             ManyAlbums{},
	"ManyAudiobooks":         ManyAudiobooks{},
	"ManyChapters":           ManyChapters{},
	"ManyDevices":            ManyDevices{},
	"PagedAlbums":            NewReleases{},
	"PagedCategories":        Categories{},
	"CursorPagedArtists":     FollowedArtists{},
	"ManyArtists":            ManyArtists{},
	"ManyAudioFeatures":      ManyAudioFeatures{},
	"ManyEpisodes":           ManyEpisodes{},
	"ManyGenres":             Genres{},
	"ManyTracks":             ManyTracks{},
	"ManySimplifiedShows":    ManyShows{},
	"SearchItems":            SearchItems{},
	"PlaylistSnapshotId":     SnapshotID{},
	"Markets":                MarketList{},
	"Unauthorized":           ErrorResponse{},
	"Forbidden":              ErrorResponse{},
	"NotFound":               ErrorResponse{},
	"BadRequest":             ErrorResponse{},
	"TooManyRequests":        ErrorResponse{},
	"PagedPlaylists":         PagingPlaylist{},
	"PagedFeaturedPlaylists": FeaturedPlaylists{},
	"CursorPagedPlayHistory": CursorPagingPlayHistory{},
}

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestEverySchemaHasAType checks that every schema of the spec has a Go
// type and that every property of the schema is a JSON member of it.
func TestEverySchemaHasAType(t *testing.T) {
	doc := loadSpec(t)
	if n := len(doc.Components.Schemas); n != 90 {
		t.Errorf("spec has %d schemas, want 90", n)
	}
	for name, ref := range doc.Components.Schemas {
		v, ok := schemaTypes[name]
		if !ok {
			t.Errorf("schema %s has no Go type", name)
			continue
		}
		checkMembers(t, name, ref.Value, reflect.TypeOf(v))
	}
	for name, ref := range doc.Components.Responses {
		v, ok := responseTypes[name]
		if !ok {
			continue // one-object, array and paging responses use the types above
		}
		schema := ref.Value.Content.Get("application/json").Schema.Value
		checkMembers(t, name, schema, reflect.TypeOf(v))
	}
}

func checkMembers(t *testing.T, name string, s *openapi3.Schema, typ reflect.Type) {
	t.Helper()
	props := schemaProperties(s)
	if typ.Kind() != reflect.Struct {
		if len(props) > 0 {
			t.Errorf("%s has properties but %s is not a struct", name, typ)
		}
		return
	}
	members := jsonMembers(typ)
	for _, p := range props {
		if !slices.Contains(members, p) {
			t.Errorf("%s: property %q is not a member of %s", name, p, typ)
		}
	}
	if !slices.Contains(members, ",unknown") && !strings.HasPrefix(typ.Name(), "Cursor") && !strings.HasSuffix(name, "Base") && len(props) > 0 && typ.Kind() == reflect.Struct {
		if _, ok := typ.FieldByName("Extra"); !ok {
			t.Errorf("%s: %s keeps no unknown members", name, typ)
		}
	}
}

// schemaProperties lists the property names of s, through allOf.
func schemaProperties(s *openapi3.Schema) []string {
	var out []string
	for name := range s.Properties {
		out = append(out, name)
	}
	for _, sub := range s.AllOf {
		out = append(out, schemaProperties(sub.Value)...)
	}
	return out
}

// jsonMembers lists the JSON member names of a struct type, through
// inlined fields.
func jsonMembers(typ reflect.Type) []string {
	var out []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case strings.Contains(opts, "inline") || (f.Anonymous && name == ""):
			out = append(out, jsonMembers(f.Type)...)
		case strings.Contains(opts, "unknown"):
			out = append(out, ",unknown")
		case name != "":
			out = append(out, name)
		}
	}
	return out
}
