import { IconNext, IconPause, IconPlay, IconPrev } from './icons.tsx';
import { useApp, MAX_FPS, MIN_FPS } from '../store.ts';
import { fmtNum, frameCounterText, frameTimePs } from '../format.ts';

const SPEEDS = [1, 2, 5, 10, 20, 30, 60].filter((x) => x >= MIN_FPS && x <= MAX_FPS);

/** Slider, play/pause, step, speed, "frame i / n" and time in ps when known. */
export function PlaybackBar() {
  const t = useApp((s) => s.trajectory);
  const frameIndex = useApp((s) => s.frameIndex);
  const frameShown = useApp((s) => s.frameShown);
  const frameTime = useApp((s) => s.frame?.time);
  const playing = useApp((s) => s.playing);
  const fps = useApp((s) => s.fps);
  const setFrameIndex = useApp((s) => s.setFrameIndex);
  const stepFrame = useApp((s) => s.stepFrame);
  const togglePlaying = useApp((s) => s.togglePlaying);
  const setFps = useApp((s) => s.setFps);
  const n = t?.nFrames ?? 0;
  const time = t && frameShown >= 0 ? frameTimePs(frameShown, frameTime, t.timestep) : null;
  return (
    <footer className="playback">
      <button type="button" className="icon" onClick={() => stepFrame(-1)} disabled={!t || frameIndex <= 0}
        aria-label="Previous frame" title="Previous frame (←)"><IconPrev /></button>
      <button type="button" className="icon play" onClick={togglePlaying} disabled={n < 2}
        aria-label={playing ? 'Pause' : 'Play'} title="Play / pause (space)">{playing ? <IconPause /> : <IconPlay />}</button>
      <button type="button" className="icon" onClick={() => stepFrame(1)} disabled={!t || frameIndex >= n - 1}
        aria-label="Next frame" title="Next frame (→)"><IconNext /></button>
      <input type="range" className="frame-slider" min={0} max={Math.max(0, n - 1)} step={1} value={frameIndex}
        disabled={n < 2} onChange={(e) => setFrameIndex(Number(e.target.value))} aria-label="Frame" />
      <span className="frame-counter" data-testid="frame-counter">{frameCounterText(frameIndex, n)}</span>
      <span className="frame-time" data-testid="frame-time">{time !== null ? `${fmtNum(time, 2)} ps` : ''}</span>
      <label className="speed">
        <span>speed</span>
        <select value={fps} onChange={(e) => setFps(Number(e.target.value))} aria-label="Playback speed">
          {SPEEDS.map((v) => <option key={v} value={v}>{v} fps</option>)}
        </select>
      </label>
    </footer>
  );
}
