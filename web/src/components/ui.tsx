/**
 * The console's building blocks: page frame, problem box, form fields with the API's field
 * messages, tables, status badges, money and dates, history. Plain semantic HTML (labels tied to
 * inputs, captions, buttons that are buttons), so keyboard and screen readers work everywhere.
 */
import { useId, useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { common, statusLabel } from '../i18n/common.js';
import { useLocale, useT, type MoneyValue } from '../i18n/index.js';

export function Page({ title, actions, children, subtitle }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <h1 id="page-title">{title}</h1>
          {subtitle ? <p className="subtitle">{subtitle}</p> : null}
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Section({ title, children, actions }: { title: ReactNode; children: ReactNode; actions?: ReactNode }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-header">
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Loading() {
  const t = useT(common);
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
}

/** An API refusal as people read it: the detail, and each bad field with its message. */
export function ProblemBox({ error }: { error: unknown }) {
  const t = useT(common);
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  const fields = problem?.errors ?? [];
  return (
    <div className="problem" role="alert">
      <strong>{problem?.title ?? t('problemTitle')}</strong>
      {problem?.detail || !problem ? <p>{problem?.detail ?? (error instanceof Error ? error.message : String(error))}</p> : null}
      {fields.length ? (
        <>
          <p>{t('fieldsToFix')}</p>
          <ul>
            {fields.map((f) => (
              <li key={f.field}>
                <code>{f.field.replace(/^(body|query|params)\./, '')}</code>: {f.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

interface FieldProps {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
  className?: string;
}

/** A label, the control, a hint and the API's message for this field, tied together for assistive tech. */
export function Field({ label, error, hint, children, className }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': described })}
      {hint ? (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

export function TextField(props: { label: ReactNode; value: string; onChange(v: string): void; error?: string | undefined; hint?: ReactNode; type?: string; required?: boolean; name?: string; placeholder?: string; inputMode?: 'decimal' | 'numeric' | 'text' }) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint}>
      {(a) => (
        <input
          {...a}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value}
          required={props.required}
          placeholder={props.placeholder}
          inputMode={props.inputMode}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export function TextArea(props: { label: ReactNode; value: string; onChange(v: string): void; error?: string | undefined; required?: boolean; name?: string; rows?: number }) {
  return (
    <Field label={props.label} error={props.error}>
      {(a) => <textarea {...a} name={props.name} rows={props.rows ?? 3} value={props.value} required={props.required} onChange={(e) => props.onChange(e.target.value)} />}
    </Field>
  );
}

export function SelectField(props: { label: ReactNode; value: string; onChange(v: string): void; options: { value: string; label: string }[]; error?: string | undefined; name?: string; blank?: string }) {
  return (
    <Field label={props.label} error={props.error}>
      {(a) => (
        <select {...a} name={props.name} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
          {props.blank !== undefined ? <option value="">{props.blank}</option> : null}
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export interface Column<T> {
  header: ReactNode;
  cell(row: T): ReactNode;
  className?: string;
}

/** `focusable`: a wide table whose cells hold nothing focusable can still be scrolled sideways from the keyboard. */
export function DataTable<T>({ caption, columns, rows, rowKey, empty, focusable }: { caption: ReactNode; columns: Column<T>[]; rows: T[]; rowKey(row: T): string; empty?: ReactNode; focusable?: boolean }) {
  const t = useT(common);
  const captionId = useId();
  return (
    <div className="table-wrap" {...(focusable ? { tabIndex: 0, role: 'region', 'aria-labelledby': captionId } : {})}>
      <table>
        <caption id={focusable ? captionId : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="muted">
                {empty ?? t('empty')}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((c, i) => (
                  <td key={i} className={c.className}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

export function LoadMore({ hasMore, loading, onClick }: { hasMore: boolean; loading: boolean; onClick(): void }) {
  const t = useT(common);
  if (!hasMore) return null;
  return (
    <button type="button" className="secondary" onClick={onClick} disabled={loading}>
      {t('more')}
    </button>
  );
}

export function StatusBadge({ code }: { code: string | undefined }) {
  const { locale } = useLocale();
  return <span className={`badge badge-${(code ?? '').toLowerCase()}`}>{statusLabel(locale, code)}</span>;
}

export function Money({ value }: { value: MoneyValue | undefined | null }) {
  const { fmt } = useLocale();
  return <span className="num">{fmt.money(value)}</span>;
}

export function DateText({ value }: { value: string | undefined | null }) {
  const { fmt } = useLocale();
  return <time dateTime={value ?? undefined}>{fmt.date(value)}</time>;
}

export function DateTimeText({ value }: { value: string | undefined | null }) {
  const { fmt } = useLocale();
  return <time dateTime={value ?? undefined}>{fmt.dateTime(value)}</time>;
}

export function Quantity({ value, unit }: { value: string | number | undefined; unit?: string | undefined }) {
  const { fmt } = useLocale();
  return (
    <span className="num">
      {value === undefined ? '—' : fmt.number(value)}
      {unit ? ` ${unit}` : ''}
    </span>
  );
}

export interface HistoryEntry {
  at: string;
  by: { userId: string; name: string };
  action: string;
  reason?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Every change with who, when, what and why; before/after on demand (R-INFO-3). */
export function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  const t = useT(common);
  return (
    <ol className="timeline">
      {entries.map((e, i) => (
        <li key={`${e.at}-${i}`}>
          <div className="timeline-head">
            <strong>{e.action}</strong> · <DateTimeText value={e.at} /> · {e.by.name}
          </div>
          {e.reason ? <p>{e.reason}</p> : null}
          {e.before || e.after ? (
            <details>
              <summary>{t('details')}</summary>
              <pre>{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
            </details>
          ) : null}
        </li>
      ))}
      {entries.length === 0 ? <li className="muted">{t('empty')}</li> : null}
    </ol>
  );
}

/** A record's history section: its entries once read, the refusal if it was refused, "loading" meanwhile. */
export function HistorySection({ history }: { history: { data?: { items: HistoryEntry[] } | undefined; error?: unknown; loading?: boolean } }) {
  const t = useT(common);
  return (
    <Section title={t('history')}>
      <ProblemBox error={history.error} />
      {history.data ? <HistoryList entries={history.data.items} /> : history.loading ? <Loading /> : null}
    </Section>
  );
}

/** A button for an API call: busy while it runs, the refusal shown next to it. */
export function ActionButton({ onAction, children, className, disabled }: { onAction(): Promise<unknown>; children: ReactNode; className?: string; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <span className="action">
      <button
        type="button"
        className={className}
        disabled={busy || disabled}
        aria-busy={busy}
        onClick={() => {
          setBusy(true);
          setError(undefined);
          onAction().then(
            () => setBusy(false),
            (err: unknown) => {
              setBusy(false);
              setError(err);
            },
          );
        }}
      >
        {children}
      </button>
      <ProblemBox error={error} />
    </span>
  );
}

export function Definition({ items }: { items: [ReactNode, ReactNode][] }) {
  return (
    <dl className="definitions">
      {items.map(([k, v], i) => (
        <div key={i}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function RecordLink({ to, children }: { to: string; children: ReactNode }) {
  return <Link to={to}>{children}</Link>;
}

/** "Find by number": opens the record whose number is typed (an order, an invoice, a credit note, a return). */
export function FindByNumber({ label, placeholder, path }: { label: ReactNode; placeholder: string; path: string }) {
  const tc = useT(common);
  const navigate = useNavigate();
  const [number, setNumber] = useState('');
  return (
    <form
      className="filters"
      onSubmit={(e) => {
        e.preventDefault();
        if (number.trim()) navigate(`${path}${encodeURIComponent(number.trim().toUpperCase())}`);
      }}
    >
      <TextField label={label} value={number} onChange={setNumber} placeholder={placeholder} />
      <div className="filter-buttons">
        <button type="submit" className="secondary">
          {tc('open')}
        </button>
      </div>
    </form>
  );
}

/**
 * A step that needs a written reason (reverse a payment or a credit note, withdraw a return): the
 * reason with the API's message next to it, confirm or cancel. `onDone(true)` once the API took it.
 */
export function ReasonForm({ title, hint, reasonLabel, confirmLabel, path, onDone }: { title: ReactNode; hint?: ReactNode; reasonLabel: ReactNode; confirmLabel: ReactNode; path: string; onDone(changed: boolean): void }) {
  const { api } = useApp();
  const tc = useT(common);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Section title={title}>
      {hint ? <p className="notice">{hint}</p> : null}
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          api
            .post(path, { reason: reason.trim() })
            .then(() => onDone(true), setError)
            .finally(() => setBusy(false));
        }}
      >
        <TextArea label={reasonLabel} value={reason} onChange={setReason} error={fields.reason} required />
        <ProblemBox error={error} />
        <div className="form-actions">
          <button type="submit" className="danger" disabled={busy} aria-busy={busy}>
            {confirmLabel}
          </button>
          <button type="button" className="secondary" onClick={() => onDone(false)}>
            {tc('cancel')}
          </button>
        </div>
      </form>
    </Section>
  );
}

