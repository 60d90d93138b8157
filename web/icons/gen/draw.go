package main

import (
	"image"
	"image/color"
	"math"
)

// icon is one file of the manifest's icons.
type icon struct {
	file string
	size int
	// maskable icons fill the whole square (the launcher cuts its own shape out of it) and keep
	// the bell inside the central circle of 40 % radius, the safe zone every mask leaves whole.
	maskable bool
}

var icons = []icon{
	{file: "icon-192.png", size: 192},
	{file: "icon-512.png", size: 512},
	{file: "icon-maskable-512.png", size: 512, maskable: true},
}

// The page's accent (style.css: the connected dot, 接单, the favicon) and white.
var (
	green = color.NRGBA{R: 0x1f, G: 0x88, B: 0x3d, A: 0xff}
	white = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
)

// samples is the supersampling per axis: 4×4 points a pixel smooth the edges without a
// rasteriser, and give the same bytes on every machine.
const samples = 4

// draw paints the icon: a rounded green square (the whole square when maskable) and the bell.
func (ic icon) draw() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, ic.size, ic.size))
	scale := 0.74 // of the favicon's 32-unit box
	if ic.maskable {
		scale = 0.6 // the bell's farthest point stays within the 40 % safe circle
	}
	for y := range ic.size {
		for x := range ic.size {
			var back, bell int
			for sy := range samples {
				for sx := range samples {
					// the sample's position in the unit square
					u := (float64(x) + (float64(sx)+0.5)/samples) / float64(ic.size)
					v := (float64(y) + (float64(sy)+0.5)/samples) / float64(ic.size)
					if ic.maskable || inRoundedSquare(u, v) {
						back++
					}
					// the same point in the favicon's units, the bell scaled about its centre
					if inBell(16+(u*32-16)/scale, 16.5+(v*32-16)/scale) {
						bell++
					}
				}
			}
			img.SetNRGBA(x, y, blend(back, bell))
		}
	}
	return img
}

// blend is the pixel covered back/n² by the green square and bell/n² by the white bell, which
// lies on the square.
func blend(back, bell int) color.NRGBA {
	if back == 0 {
		return color.NRGBA{}
	}
	mix := func(a, b uint8) uint8 {
		return uint8((int(a)*(back-bell) + int(b)*bell + back/2) / back)
	}
	return color.NRGBA{R: mix(green.R, white.R), G: mix(green.G, white.G), B: mix(green.B, white.B),
		A: uint8((back*255 + samples*samples/2) / (samples * samples))}
}

// inRoundedSquare: the unit square with corners rounded at a fifth of its side.
func inRoundedSquare(u, v float64) bool {
	const r = 0.2
	dx := math.Max(math.Max(r-u, u-(1-r)), 0)
	dy := math.Max(math.Max(r-v, v-(1-r)), 0)
	return dx*dx+dy*dy <= r*r
}

// inBell follows favicon.svg's path in its 32-unit box: the knob (a circle at 16,5), the dome
// from the knob's neck to its widest at y 15, straight sides to y 21, the rim flaring out to
// y 24 and a band to y 25; then, below a gap, the clapper (the lower half of a circle at 16,27).
func inBell(x, y float64) bool {
	dx := math.Abs(x - 16)
	switch {
	case dx*dx+(y-5)*(y-5) <= 4:
		return true
	case y >= 27:
		return dx*dx+(y-27)*(y-27) <= 9
	case y < 6 || y > 25:
		return false
	}
	var half float64
	switch {
	case y < 15:
		d := (15 - y) / 9
		half = 2 + 7*math.Sqrt(1-d*d)
	case y <= 21:
		half = 9
	case y <= 24:
		half = 9 + (y - 21)
	default:
		half = 12
	}
	return dx <= half
}
