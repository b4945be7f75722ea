package models

import "github.com/go-json-experiment/json/jsontext"

// Key is a pitch class in standard notation: 0 = C, 1 = C♯/D♭, ... 11 = B;
// -1 when no key was detected.
type Key int

// Mode is the modality of a track: 1 major, 0 minor (-1 in sections when
// unknown).
type Mode int

// TimeSignature is the estimated number of beats per bar, 3 to 7.
type TimeSignature int

// Tempo is the estimated tempo in beats per minute.
type Tempo float64

// Loudness is the average loudness in decibels, typically -60 to 0.
type Loudness float64

// AudioFeatures are the audio features of a track (AudioFeaturesObject).
type AudioFeatures struct {
	Acousticness     float64        `json:"acousticness"`
	AnalysisURL      string         `json:"analysis_url"`
	Danceability     float64        `json:"danceability"`
	DurationMS       int            `json:"duration_ms"`
	Energy           float64        `json:"energy"`
	ID               string         `json:"id"`
	Instrumentalness float64        `json:"instrumentalness"`
	Key              Key            `json:"key"`
	Liveness         float64        `json:"liveness"`
	Loudness         Loudness       `json:"loudness"`
	Mode             Mode           `json:"mode"`
	Speechiness      float64        `json:"speechiness"`
	Tempo            Tempo          `json:"tempo"`
	TimeSignature    TimeSignature  `json:"time_signature"`
	TrackHref        string         `json:"track_href"`
	Type             string         `json:"type"` // "audio_features"
	URI              string         `json:"uri"`
	Valence          float64        `json:"valence"`
	Extra            jsontext.Value `json:",unknown"`
}

// AudioAnalysis is the low-level audio analysis of a track
// (AudioAnalysisObject).
type AudioAnalysis struct {
	Meta     AudioAnalysisMeta  `json:"meta"`
	Track    AudioAnalysisTrack `json:"track"`
	Bars     []TimeInterval     `json:"bars"`
	Beats    []TimeInterval     `json:"beats"`
	Sections []Section          `json:"sections"`
	Segments []Segment          `json:"segments"`
	Tatums   []TimeInterval     `json:"tatums"`
	Extra    jsontext.Value     `json:",unknown"`
}

// AudioAnalysisMeta describes the analysis run.
type AudioAnalysisMeta struct {
	AnalyzerVersion string         `json:"analyzer_version"`
	Platform        string         `json:"platform"`
	DetailedStatus  string         `json:"detailed_status"`
	StatusCode      int            `json:"status_code"` // 0 on success
	Timestamp       int64          `json:"timestamp"`   // unix seconds
	AnalysisTime    float64        `json:"analysis_time"`
	InputProcess    string         `json:"input_process"`
	Extra           jsontext.Value `json:",unknown"`
}

// AudioAnalysisTrack holds track-wide analysis values.
type AudioAnalysisTrack struct {
	NumSamples              int            `json:"num_samples"`
	Duration                float64        `json:"duration"` // seconds
	SampleMD5               string         `json:"sample_md5"`
	OffsetSeconds           int            `json:"offset_seconds"`
	WindowSeconds           int            `json:"window_seconds"`
	AnalysisSampleRate      int            `json:"analysis_sample_rate"`
	AnalysisChannels        int            `json:"analysis_channels"`
	EndOfFadeIn             float64        `json:"end_of_fade_in"`
	StartOfFadeOut          float64        `json:"start_of_fade_out"`
	Loudness                Loudness       `json:"loudness"`
	Tempo                   Tempo          `json:"tempo"`
	TempoConfidence         float64        `json:"tempo_confidence"`
	TimeSignature           TimeSignature  `json:"time_signature"`
	TimeSignatureConfidence float64        `json:"time_signature_confidence"`
	Key                     Key            `json:"key"`
	KeyConfidence           float64        `json:"key_confidence"`
	Mode                    Mode           `json:"mode"`
	ModeConfidence          float64        `json:"mode_confidence"`
	Codestring              string         `json:"codestring"`
	CodeVersion             float64        `json:"code_version"`
	Echoprintstring         string         `json:"echoprintstring"`
	EchoprintVersion        float64        `json:"echoprint_version"`
	Synchstring             string         `json:"synchstring"`
	SynchVersion            float64        `json:"synch_version"`
	Rhythmstring            string         `json:"rhythmstring"`
	RhythmVersion           float64        `json:"rhythm_version"`
	Extra                   jsontext.Value `json:",unknown"`
}

// TimeInterval is a bar, beat or tatum (TimeIntervalObject).
type TimeInterval struct {
	Start      float64        `json:"start"`    // seconds
	Duration   float64        `json:"duration"` // seconds
	Confidence float64        `json:"confidence"`
	Extra      jsontext.Value `json:",unknown"`
}

// Section is a large part of a track, such as a verse (SectionObject).
type Section struct {
	Start                   float64        `json:"start"`
	Duration                float64        `json:"duration"`
	Confidence              float64        `json:"confidence"`
	Loudness                float64        `json:"loudness"`
	Tempo                   float64        `json:"tempo"`
	TempoConfidence         float64        `json:"tempo_confidence"`
	Key                     Key            `json:"key"`
	KeyConfidence           float64        `json:"key_confidence"`
	Mode                    Mode           `json:"mode"`
	ModeConfidence          float64        `json:"mode_confidence"`
	TimeSignature           TimeSignature  `json:"time_signature"`
	TimeSignatureConfidence float64        `json:"time_signature_confidence"`
	Extra                   jsontext.Value `json:",unknown"`
}

// Segment is a short, roughly uniform sound of a track (SegmentObject).
type Segment struct {
	Start           float64        `json:"start"`
	Duration        float64        `json:"duration"`
	Confidence      float64        `json:"confidence"`
	LoudnessStart   float64        `json:"loudness_start"`
	LoudnessMax     float64        `json:"loudness_max"`
	LoudnessMaxTime float64        `json:"loudness_max_time"`
	LoudnessEnd     float64        `json:"loudness_end"`
	Pitches         []float64      `json:"pitches"` // 12 values, one per pitch class
	Timbre          []float64      `json:"timbre"`  // 12 values
	Extra           jsontext.Value `json:",unknown"`
}
