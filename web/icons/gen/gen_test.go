package main

import (
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedIconsAreDrawnByGen: the PNGs the dashboard serves are this program's output,
// compared pixel by pixel (not byte by byte, so that another Go's compressor cannot fail it):
// a change to the drawing without `go generate ./web` fails here.
func TestCommittedIconsAreDrawnByGen(t *testing.T) {
	t.Parallel()
	for _, ic := range icons {
		t.Run(ic.file, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(filepath.Join("..", "..", "static", "icons", ic.file))
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = f.Close() }()
			committed, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			drawn := ic.draw()
			if committed.Bounds() != drawn.Bounds() {
				t.Fatalf("committed %v, drawn %v", committed.Bounds(), drawn.Bounds())
			}
			for y := range ic.size {
				for x := range ic.size {
					// an opaque icon is stored as RGB and decodes as RGBA: compare colours
					if got := color.NRGBAModel.Convert(committed.At(x, y)); got != drawn.NRGBAAt(x, y) {
						t.Fatalf("pixel (%d, %d) is %v, drawn %v: run go generate ./web", x, y, got, drawn.NRGBAAt(x, y))
					}
				}
			}
		})
	}
}

// TestMaskableBellStaysInTheSafeZone: every bell pixel of the maskable icon lies within the
// circle of 40 % radius that any launcher mask leaves whole.
func TestMaskableBellStaysInTheSafeZone(t *testing.T) {
	t.Parallel()
	ic := icon{size: 512, maskable: true}
	img := ic.draw()
	c, r := float64(ic.size)/2, 0.4*float64(ic.size)
	for y := range ic.size {
		for x := range ic.size {
			if img.NRGBAAt(x, y) == green {
				continue
			}
			dx, dy := float64(x)+0.5-c, float64(y)+0.5-c
			if dx*dx+dy*dy > r*r {
				t.Fatalf("bell pixel (%d, %d) outside the safe zone", x, y)
			}
		}
	}
}
