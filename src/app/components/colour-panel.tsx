import { useApp, type ColourBy } from '../store.ts';
import { cssRgb, legendOf, scaleGradientCss } from '../colours.ts';
import { fmtNum } from '../format.ts';

function keyOf(c: ColourBy): string {
  switch (c.kind) {
    case 'species': return 'species';
    case 'type': return 'type';
    case 'property': return `property:${c.name}`;
    case 'layer': return `layer:${c.id}`;
  }
}

function parseKey(k: string): ColourBy {
  if (k === 'type') return { kind: 'type' };
  if (k.startsWith('property:')) return { kind: 'property', name: k.slice(9) };
  if (k.startsWith('layer:')) return { kind: 'layer', id: k.slice(6) };
  return { kind: 'species' };
}

/** Colour-by selector (species, type, per-atom properties, computed layers), legend, atom size. */
export function ColourPanel() {
  const t = useApp((s) => s.trajectory);
  const colourBy = useApp((s) => s.colourBy);
  const layers = useApp((s) => s.layers);
  const frame = useApp((s) => s.frame);
  const frameShown = useApp((s) => s.frameShown);
  const range = useApp((s) => s.colourRange);
  const atomScale = useApp((s) => s.atomScale);
  const setColourBy = useApp((s) => s.setColourBy);
  const setAtomScale = useApp((s) => s.setAtomScale);
  if (!t) return <p className="muted">Load a trajectory to colour its atoms.</p>;
  const legend = legendOf({ trajectory: t, colourBy, frame, frameIndex: frameShown, layers, range });
  return (
    <div className="colour-panel">
      <label className="row">
        <span>Colour by</span>
        <select value={keyOf(colourBy)} onChange={(e) => setColourBy(parseKey(e.target.value))} aria-label="Colour by">
          <option value="species">species</option>
          {t.types && <option value="type">type</option>}
          {t.propertyNames.map((p) => <option key={p} value={`property:${p}`}>{p}</option>)}
          {Object.values(layers).map((l) => <option key={l.id} value={`layer:${l.id}`}>{l.label}</option>)}
        </select>
      </label>
      {legend.kind === 'categorical'
        ? (
          <ul className="legend">
            {legend.items.slice(0, 24).map((it) => (
              <li key={it.label}><span className="swatch" style={{ background: cssRgb(it.colour) }} />{it.label}</li>
            ))}
            {legend.items.length > 24 && <li className="muted">… {legend.items.length - 24} more</li>}
          </ul>
        )
        : (
          <div className="scale-legend">
            <div className="scale-bar" style={{ background: scaleGradientCss() }} />
            <div className="scale-labels"><span>{fmtNum(legend.min)}</span><span>{legend.title}</span><span>{fmtNum(legend.max)}</span></div>
          </div>
        )}
      <label className="row">
        <span>Atom size</span>
        <input type="range" min={0.2} max={2} step={0.05} value={atomScale}
          onChange={(e) => setAtomScale(Number(e.target.value))} aria-label="Atom size" />
      </label>
    </div>
  );
}
