type KeyPickerProps = {
  keys: readonly string[];
  /** The keys ticked, in the order of `keys`. */
  value: string[];
  onChange: (keys: string[]) => void;
};

/** `chosen` with `key` ticked or unticked; ticked keys keep the secret's own order, whatever the clicks'. */
export function toggleKey(
  keys: readonly string[],
  chosen: readonly string[],
  key: string,
  checked: boolean,
): string[] {
  return checked ? keys.filter((k) => k === key || chosen.includes(k)) : chosen.filter((k) => k !== key);
}

/** One checkbox per key of a SealedSecret, each named by its key (Rotate keys…, Fix a value…). */
export function KeyPicker({ keys, value, onChange }: KeyPickerProps) {
  return (
    <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
      {keys.map((key) => (
        <li key={key}>
          <label className="flex items-center gap-1.5">
            <input
              type="checkbox"
              checked={value.includes(key)}
              onChange={(event) => onChange(toggleKey(keys, value, key, event.target.checked))}
            />
            <code className="text-xs">{key}</code>
          </label>
        </li>
      ))}
    </ul>
  );
}
