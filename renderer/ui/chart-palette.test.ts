// The chart palette must keep layers apart for everyone: every pair of colours (in each theme) stays
// clearly different in CIELAB, also as seen with protanopia, deuteranopia and tritanopia (Machado 2009).
import { describe, expect, it } from 'vitest';
import { PALETTES } from './chart-palette';

type Rgb = [number, number, number];
const hex = (h: string): Rgb => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255) as Rgb;
const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const mul = (m: number[][], v: Rgb): Rgb => m.map((r) => Math.min(1, Math.max(0, r[0]! * v[0] + r[1]! * v[1] + r[2]! * v[2]))) as Rgb;

// Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
const SIMULATE: Record<string, number[][]> = {
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protan: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deutan: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritan: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

function lab(linear: Rgb): Rgb {
  const [r, g, b] = linear;
  const xyz = [
    (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
  ];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = xyz.map(f) as Rgb;
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('chart palette', () => {
  for (const [theme, colours] of Object.entries(PALETTES)) {
    it(`keeps every pair of ${theme} colours apart, for common colour-vision deficiencies too`, () => {
      const close: string[] = [];
      for (const [vision, m] of Object.entries(SIMULATE)) {
        const seen = colours.map((c) => lab(mul(m, hex(c).map(lin) as Rgb)));
        for (let i = 0; i < colours.length; i++)
          for (let j = i + 1; j < colours.length; j++)
            if (distance(seen[i]!, seen[j]!) < 15)
              close.push(`${vision}: ${colours[i]} ~ ${colours[j]} (${distance(seen[i]!, seen[j]!).toFixed(1)})`);
      }
      expect(close).toEqual([]);
    });
  }
});
