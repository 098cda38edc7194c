import { Command } from 'commander';
import { printable } from '../printable';
import { runReconcile } from '../reconcile';
import { checked, nonNegative } from '../options';
import { targetOf, withTargetOptions, type CommandContext, type TargetOptions } from '../command-context';

interface ReconcileOptions extends TargetOptions {
  ttl: number;
  timeout: number;
  grace: number;
}

/** `npm run reconcile`: what the scheduled function does every 15 minutes, once, now. */
export const reconcileCommand = (cli: CommandContext): Command =>
  withTargetOptions(
    new Command('reconcile')
      .description('repair rows stuck in QUEUED past ttl + timeout + grace seconds, as the scheduled function does')
      .option('--ttl <seconds>', "the endpoint's request TTL", checked(nonNegative, 'ttl'), 21600)
      .option('--timeout <seconds>', "the endpoint's invocation timeout", checked(nonNegative, 'timeout'), 900)
      .option('--grace <seconds>', 'how much longer a notification may take to arrive', checked(nonNegative, 'grace'), 300),
    cli.projectRoot,
  ).action(
    cli.run(async (o: ReconcileOptions) => {
      const t = await targetOf(o, cli.projectRoot);
      const repairs = await runReconcile(t, { requestTtlSeconds: o.ttl, invocationTimeoutSeconds: o.timeout, graceSeconds: o.grace });
      const repaired = repairs.filter((r) => r.state !== 'skipped' && r.state !== 'error');
      for (const r of repaired) cli.out(`${r.state.padEnd(9)} ${printable(r.key)}\n`);
      // A row reconcile could not repair stays QUEUED for the next run; say why and fail the command.
      const failed = repairs.flatMap((r) => (r.state === 'error' ? [r] : []));
      for (const r of failed) cli.out(`${'error'.padEnd(9)} ${printable(r.key)}: ${printable(r.error)}\n`);
      cli.out(
        `looked at ${repairs.length} stuck row(s), repaired ${repaired.length}${failed.length ? `, could not repair ${failed.length}` : ''} (${t.description})\n`,
      );
      return failed.length ? 1 : 0;
    }),
  );
