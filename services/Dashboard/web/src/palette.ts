// Okabe–Ito: eight colours told apart by people with the common colour-vision deficiencies (Okabe & Ito 2008).
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
export const SERIES = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];
export const RED = '#D55E00'; // vermillion: red alerts
export const YELLOW = '#E69F00'; // orange: yellow alerts (Okabe–Ito's yellow is too pale on white)
export const GREY = '#999999';
/** A sequential blue ramp for the choropleth (light to dark, monotone in lightness). */
export const SEQUENTIAL = ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];
export const SUPPRESSED_FILL = 'rgba(153,153,153,0.18)';

export function alpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}
