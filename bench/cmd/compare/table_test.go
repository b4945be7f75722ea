package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkGetTrack/mode=serial/contender=spotflow-2   	    8130	    128000 ns/op	    7872 B/op	      80 allocs/op
BenchmarkGetTrack/mode=serial/contender=zmb3-2       	    5995	    160000 ns/op	   44245 B/op	     400 allocs/op
BenchmarkGetTrack/mode=serial/contender=raw-2        	   10000	    100000 ns/op	   16841 B/op	     112 allocs/op
BenchmarkGetTrack/mode=serial/contender=spotflow-2   	    8130	    132000 ns/op	    7872 B/op	      80 allocs/op
BenchmarkGetTrack/mode=serial/contender=spotflow-2   	    8130	    999000 ns/op	    7872 B/op	      80 allocs/op
BenchmarkCrawl/contender=zmb3-2	1	4002184807 ns/op	7.407 %429	32.00 429s	100.0 items/s	1.000 utilization
BenchmarkCrawl/contender=spotflow-2	1	4001831999 ns/op	0 %429	0 429s	95.00 items/s	0.9500 utilization	650000 cpu-ns/req
BenchmarkOther-2	1	5 ns/op
PASS
`

// TestTable: medians of repeated runs, ratios within a group, time
// ratios by items/s where a group reports them, nothing for a group
// without the reference.
func TestTable(t *testing.T) {
	results, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := writeTable(&b, results); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"| GetTrack/mode=serial | spotflow | 132,000 |  |  | 7,872 | 80 |  |  |  |  |  | 0.82 | 0.20 | 1.32 |  |",
		"| GetTrack/mode=serial | zmb3 | 160,000 |  |  | 44,245 | 400 |  |  |  |  |  |  |  | 1.60 |  |",
		"| Crawl | spotflow | 4,001,831,999 |  |  |  |  | 95 | 0 | 0.00 | 0.950 | 650,000 | 1.05 |  |  |  |",
	} {
		if !strings.Contains(got, want+"\n") {
			t.Errorf("the table lacks\n%s\nin\n%s", want, got)
		}
	}
	if strings.Contains(got, "Other") {
		t.Errorf("a benchmark without contender= is in the table:\n%s", got)
	}
}

func TestGroup3(t *testing.T) {
	for in, want := range map[string]string{"0": "0", "123": "123", "1234": "1,234", "6064799757.5": "6,064,799,757.5", "-12345": "-12,345"} {
		if got := group3(in); got != want {
			t.Errorf("group3(%q) = %q; want %q", in, got, want)
		}
	}
}
