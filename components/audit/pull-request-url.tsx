type PullRequestUrlProps = { url: string; className?: string };

/** An audit event's pull request: its full address as the link text, opened on the forge in a new tab. */
export function PullRequestUrl({ url, className }: PullRequestUrlProps) {
  return (
    <a
      href={url}
      target="_blank"
      rel="noreferrer"
      className={`${className ? `${className} ` : ""}text-sky-700 underline dark:text-sky-400`}
    >
      {url}
    </a>
  );
}
