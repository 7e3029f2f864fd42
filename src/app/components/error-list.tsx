import { useApp } from '../store.ts';

/** Dismissible error messages: file, place (line / frame / byte), expected and found. */
export function ErrorList() {
  const errors = useApp((s) => s.errors);
  const dismiss = useApp((s) => s.dismissError);
  if (errors.length === 0) return null;
  return (
    <div className="errors">
      {errors.map((e) => (
        <div key={e.id} className={e.cancelled ? 'error notice' : 'error'} role="alert" data-testid="error">
          <div className="error-body">
            <strong>{e.title}</strong>
            {e.file && (
              <div className="error-where">
                <span className="error-file">{e.file}</span>{e.place && <>, <span className="error-place">{e.place}</span></>}
              </div>
            )}
            {e.expected !== undefined
              ? <div>expected {e.expected}{e.found !== undefined && <>, found <code>{e.found}</code></>}</div>
              : <div>{e.message}</div>}
          </div>
          <button type="button" className="dismiss" aria-label="Dismiss" onClick={() => dismiss(e.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
