package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// result is the figures of one sub-benchmark, by unit ("ns/op", "MB/s",
// "items/s", ...), each the median of its runs.
type result struct {
	group     string // the name up to /contender=, without "Benchmark"
	contender string
	values    map[string]float64
}

// procsSuffix is the -GOMAXPROCS suffix go test adds to names.
var procsSuffix = regexp.MustCompile(`-\d+$`)

// parse reads the result lines of go test -bench output. Sub-benchmarks
// without a contender= element are ignored. Results keep the order of
// their first appearance.
func parse(r io.Reader) ([]result, error) {
	type key struct{ group, contender string }
	var order []key
	runs := map[key]map[string][]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue // a name printed before log lines, not a result
		}
		name := procsSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		g, c, ok := strings.Cut(name, "/contender=")
		if !ok {
			continue
		}
		k := key{g, c}
		if runs[k] == nil {
			runs[k] = map[string][]float64{}
			order = append(order, k)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: bad value %q", f[0], f[i])
			}
			runs[k][f[i+1]] = append(runs[k][f[i+1]], v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("no benchmark results with a contender= in the output")
	}
	out := make([]result, len(order))
	for i, k := range order {
		vals := map[string]float64{}
		for unit, vs := range runs[k] {
			vals[unit] = median(vs)
		}
		out[i] = result{group: k.group, contender: k.contender, values: vals}
	}
	return out, nil
}

func median(vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// column is one figure of the table.
type column struct {
	head   string
	format func(r result, group []result) string
}

// Reference contenders of the ratio columns.
const (
	zmb3  = "zmb3"
	raw   = "raw"
	floor = "floor"
)

var columns = []column{
	{"benchmark", func(r result, _ []result) string { return r.group }},
	{"contender", func(r result, _ []result) string { return r.contender }},
	{"ns/op", figure("ns/op", 0)},
	{"client CPU ns/op", figure("cpu-ns/op", 0)},
	{"MB/s", figure("MB/s", 1)},
	{"B/op", figure("B/op", 0)},
	{"allocs/op", figure("allocs/op", 0)},
	{"items/s", figure("items/s", 0)},
	{"429s", figure("429s", 0)},
	{"% 429", figure("%429", 2)},
	{"utilization", figure("utilization", 3)},
	{"client CPU ns/req", figure("cpu-ns/req", 0)},
	{"time ÷ zmb3", timeRatio(zmb3)},
	{"allocs ÷ zmb3", ratio("allocs/op", zmb3)},
	{"time ÷ raw", timeRatio(raw)},
	{"time ÷ floor", timeRatio(floor)},
}

// writeTable prints results as one markdown table.
func writeTable(w io.Writer, results []result) error {
	bw := bufio.NewWriter(w)
	heads := make([]string, len(columns))
	for i, c := range columns {
		heads[i] = c.head
	}
	row(bw, heads)
	seps := make([]string, len(columns))
	for i := range seps {
		seps[i] = "---"
		if i > 1 {
			seps[i] = "---:"
		}
	}
	row(bw, seps)
	for _, r := range results {
		var group []result
		for _, o := range results {
			if o.group == r.group {
				group = append(group, o)
			}
		}
		cells := make([]string, len(columns))
		for i, c := range columns {
			cells[i] = c.format(r, group)
		}
		row(bw, cells)
	}
	return bw.Flush()
}

func row(w io.Writer, cells []string) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
}

// figure formats r's value of unit with decimals, blank when absent.
func figure(unit string, decimals int) func(result, []result) string {
	return func(r result, _ []result) string {
		v, ok := r.values[unit]
		if !ok {
			return ""
		}
		return group3(strconv.FormatFloat(v, 'f', decimals, 64))
	}
}

// timeRatio is r's time per item over the reference's: by items/s when the
// group reports it (the crawl runs for a fixed time, so ns/op says
// nothing there), by ns/op otherwise. Below 1 is faster than the reference.
func timeRatio(ref string) func(result, []result) string {
	return func(r result, group []result) string {
		if _, ok := r.values["items/s"]; ok {
			o, ok := find(group, ref)
			if !ok || r.contender == ref {
				return ""
			}
			return formatRatio(o.values["items/s"], r.values["items/s"])
		}
		return ratio("ns/op", ref)(r, group)
	}
}

// ratio is r's value of unit over the reference's.
func ratio(unit, ref string) func(result, []result) string {
	return func(r result, group []result) string {
		o, ok := find(group, ref)
		if !ok || r.contender == ref {
			return ""
		}
		v, ok := r.values[unit]
		if !ok {
			return ""
		}
		return formatRatio(v, o.values[unit])
	}
}

func find(group []result, contender string) (result, bool) {
	for _, r := range group {
		if r.contender == contender {
			return r, true
		}
	}
	return result{}, false
}

func formatRatio(num, den float64) string {
	if den == 0 || math.IsNaN(num/den) {
		return ""
	}
	return strconv.FormatFloat(num/den, 'f', 2, 64)
}

// group3 puts a comma between groups of three digits of the integer
// part: 6064799757.5 gives 6,064,799,757.5.
func group3(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	sign := ""
	if strings.HasPrefix(intPart, "-") {
		sign, intPart = "-", intPart[1:]
	}
	var b strings.Builder
	for i, d := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if frac != "" {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}
