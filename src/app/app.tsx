import { useEffect, useState } from 'react';
import { appStore, useApp } from './store.ts';
import { PANELS, Panel } from './panels.tsx';
import { TopBar } from './components/top-bar.tsx';
import { ErrorList } from './components/error-list.tsx';
import { PlaybackBar } from './components/playback-bar.tsx';
import { trajectoryController } from './services.ts';

/** Fields that take keys themselves (text entry, selects): global shortcuts stay out of them. */
function isField(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable) return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return type !== 'range' && type !== 'button' && type !== 'checkbox';
}

/**
 * Space play/pause, left/right step. Space also wins over a focused button (its default "click on
 * space" would toggle a second time); arrows on the focused frame slider are left to the slider.
 */
function useKeyboard(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isField(e.target)) return;
      const s = appStore.getState();
      if (!s.trajectory) return;
      const onRange = (e.target as HTMLInputElement | null)?.type === 'range';
      if (e.key === ' ') { e.preventDefault(); if (!e.repeat) s.togglePlaying(); }
      else if (e.key === 'ArrowRight' && !onRange) { s.stepFrame(1); e.preventDefault(); }
      else if (e.key === 'ArrowLeft' && !onRange) { s.stepFrame(-1); e.preventDefault(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Files dropped anywhere on the page open as one trajectory; shows an overlay while dragging. */
function useDropZone(): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const enter = (e: DragEvent) => { if (hasFiles(e)) { depth++; setOver(true); e.preventDefault(); } };
    const overFn = (e: DragEvent) => { if (hasFiles(e)) { e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; } };
    const leave = () => { depth = Math.max(0, depth - 1); if (depth === 0) setOver(false); };
    const drop = (e: DragEvent) => {
      depth = 0;
      setOver(false);
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length === 0) return;
      e.preventDefault();
      void trajectoryController().openFiles(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return over;
}

export function App() {
  useKeyboard();
  const dragging = useDropZone();
  const maximised = useApp((s) => s.maximised);
  const main = PANELS.filter((p) => p.area === 'main' && (maximised === null || p.id === maximised));
  const side = PANELS.filter((p) => p.area === 'side');
  return (
    <div className={`app${maximised ? ' has-maximised' : ''}`}>
      <TopBar />
      <ErrorList />
      <div className="workspace">
        <div className="main-area">
          {main.map((p) => <Panel key={p.id} spec={p}>{p.render()}</Panel>)}
        </div>
        {maximised === null && (
          <aside className="side-area">
            {side.map((p) => <Panel key={p.id} spec={p}>{p.render()}</Panel>)}
          </aside>
        )}
      </div>
      <PlaybackBar />
      {dragging && <div className="drop-overlay" data-testid="drop-overlay"><div>Drop trajectory files to open them</div></div>}
    </div>
  );
}
