import type { ReactNode } from 'react';
import { useApp } from './store.ts';
import { ViewerView } from './viewer/viewer-view.tsx';
import { InfoPanel } from './components/info-panel.tsx';
import { ColourPanel } from './components/colour-panel.tsx';
import { AtomPanel } from './components/atom-panel.tsx';
import { ComputePanel } from './components/compute-panel.tsx';
import { ParametersPanel } from './components/parameters-panel.tsx';
import { IconMaximise, IconRestore } from './components/icons.tsx';
import { MapView } from './views/map-view.tsx';
import { MatrixView } from './views/matrix-view.tsx';
import { ChordView } from './views/chord-view.tsx';
import { DendrogramView } from './views/dendrogram-view.tsx';
import { TimeseriesView } from './views/timeseries-view.tsx';
import { ExportPanel } from './views/export-panel.tsx';

/**
 * Where views plug in. A view is a component that reads the store; it is listed here with an id,
 * a title and an area: 'main' views tile the central grid (each can be maximised), 'side' views
 * stack in the right-hand column. Later analysis views (PCA map, matrix, chord, dendrogram, time
 * series, parameters) add one entry each; no view imports another.
 */
export interface PanelSpec {
  id: string;
  title: string;
  area: 'main' | 'side';
  render: () => ReactNode;
}

export const PANELS: PanelSpec[] = [
  { id: 'viewer', title: '3D view', area: 'main', render: () => <ViewerView /> },
  { id: 'info', title: 'Trajectory', area: 'side', render: () => <InfoPanel /> },
  { id: 'colour', title: 'Colours', area: 'side', render: () => <ColourPanel /> },
  { id: 'atom', title: 'Atom', area: 'side', render: () => <AtomPanel /> },
  { id: 'compute', title: 'Compute', area: 'side', render: () => <ComputePanel /> },
  { id: 'parameters', title: 'Parameters', area: 'side', render: () => <ParametersPanel /> },
  { id: 'pca-map', title: 'PCA map', area: 'main', render: () => <MapView /> },
  { id: 'matrix', title: 'Transition matrix', area: 'main', render: () => <MatrixView /> },
  { id: 'dendrogram', title: 'Dendrogram', area: 'main', render: () => <DendrogramView /> },
  { id: 'chord', title: 'Chord diagram', area: 'main', render: () => <ChordView /> },
  { id: 'timeseries', title: 'LENS time series', area: 'main', render: () => <TimeseriesView /> },
  { id: 'export', title: 'Export', area: 'side', render: () => <ExportPanel /> },
];

/** A titled frame around a main view, with a maximise / restore toggle. */
export function Panel({ spec, children }: { spec: PanelSpec; children: ReactNode }) {
  const maximised = useApp((s) => s.maximised);
  const setMaximised = useApp((s) => s.setMaximised);
  const isMax = maximised === spec.id;
  return (
    <section className={`panel panel-${spec.area}${isMax ? ' maximised' : ''}`} aria-label={spec.title} data-panel={spec.id}>
      <header className="panel-title">
        <h2>{spec.title}</h2>
        {spec.area === 'main' && (
          <button type="button" className="icon small" onClick={() => setMaximised(isMax ? null : spec.id)}
            title={isMax ? 'Restore layout' : 'Maximise'} aria-label={isMax ? 'Restore layout' : 'Maximise'}>{isMax ? <IconRestore /> : <IconMaximise />}</button>
        )}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
