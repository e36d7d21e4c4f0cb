import { Card } from "@/components/ui/card";
import type { RuntimeFact } from "@/lib/config/describe-runtime";

export function RuntimeFacts({ facts }: { facts: RuntimeFact[] }) {
  return (
    <Card title="This server">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
        {facts.map((fact) => (
          <div key={fact.label} className="contents">
            <dt className="text-zinc-600 dark:text-zinc-400">{fact.label}</dt>
            <dd className="font-mono break-all">{fact.value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
