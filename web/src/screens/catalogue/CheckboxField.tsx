/** A checkbox with its label around it (the label is the click target), and an optional hint. */
import { useId, type ReactNode } from 'react';

export function CheckboxField({ label, checked, onChange, name, error }: { label: ReactNode; checked: boolean; onChange(v: boolean): void; name?: string; error?: string | undefined }) {
  const id = useId();
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <label className="check">
        <input type="checkbox" name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} aria-invalid={Boolean(error)} aria-describedby={error ? `${id}-error` : undefined} />
        {label}
      </label>
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}
