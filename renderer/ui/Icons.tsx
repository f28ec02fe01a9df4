// Small inline SVG icons; decorative, so hidden from assistive tech (the buttons carry the names).
const common = { width: 16, height: 16, viewBox: '0 0 24 24', 'aria-hidden': true, focusable: false } as const;

export function SendIcon() {
  return (
    <svg {...common} fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
      <path d="M5 12h14M13 6l6 6-6 6" />
    </svg>
  );
}

export function StopIcon() {
  return (
    <svg {...common} fill="currentColor">
      <rect x="6" y="6" width="12" height="12" rx="2" />
    </svg>
  );
}

export function LogoIcon() {
  return (
    <svg {...common} width={22} height={22} fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round">
      <circle cx="6" cy="6" r="2.5" />
      <circle cx="6" cy="18" r="2.5" />
      <circle cx="18" cy="12" r="2.5" />
      <path d="M8.5 6c4 0 4 6 7 6M8.5 18c4 0 4-6 7-6" />
    </svg>
  );
}
