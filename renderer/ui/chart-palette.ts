// Colours for chart layers: the Okabe-Ito palette, chosen to stay apart for the common colour-vision
// deficiencies, ordered so neighbours in a stack differ most. Dark surfaces get the same hues, except
// black (invisible there) becomes light grey. The last colour is the quiet one, kept for "Other".

const LIGHT = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000'];
const DARK = ['#56B4E9', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#0072B2', '#F0E442'];
const OTHER = { light: '#8a8f98', dark: '#9aa1ad' };

/** The colour of layer `index` of `count` (an "Other" layer, when last, is grey). */
export function layerColour(index: number, theme: 'light' | 'dark', isOther = false): string {
  if (isOther) return OTHER[theme];
  const list = theme === 'dark' ? DARK : LIGHT;
  return list[index % list.length]!;
}

export const PALETTES = { light: LIGHT, dark: DARK };
