/** Small inline SVG icons (no icon font, no emoji: both depend on fonts the machine may lack). */
const common = { width: 16, height: 16, viewBox: '0 0 16 16', fill: 'currentColor', 'aria-hidden': true } as const;

export const IconPlay = () => <svg {...common}><path d="M4 2.5v11l9-5.5z" /></svg>;
export const IconPause = () => <svg {...common}><path d="M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z" /></svg>;
export const IconPrev = () => <svg {...common}><path d="M3 2.5h2v11H3zM13 2.5v11L5.5 8z" /></svg>;
export const IconNext = () => <svg {...common}><path d="M11 2.5h2v11h-2zM3 2.5v11L10.5 8z" /></svg>;
export const IconMaximise = () => (
  <svg {...common} fill="none" stroke="currentColor" strokeWidth="1.5"><path d="M2.5 6V2.5H6M10 2.5h3.5V6M13.5 10v3.5H10M6 13.5H2.5V10" /></svg>
);
export const IconRestore = () => (
  <svg {...common} fill="none" stroke="currentColor" strokeWidth="1.5"><path d="M6 2.5V6H2.5M13.5 6H10V2.5M10 13.5V10h3.5M2.5 10H6v3.5" /></svg>
);
