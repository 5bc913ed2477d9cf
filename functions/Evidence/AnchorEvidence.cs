using Microsoft.Azure.Functions.Worker;
using NotifyHub.Evidence;

namespace NotifyHub.Functions;

/// <summary>
/// Timer <c>%EvidenceAnchorSchedule%</c> (daily, 00:30 UTC): signs the next evidence anchor — the chain heads of every incident
/// whose ledger changed since the last one — and stores each incident's inclusion proof (docs/evidence.md). A run that fails is
/// finished by the next, from the leaves it wrote.
/// </summary>
public sealed class AnchorEvidence(EvidenceAnchors anchors)
{
    public const string ScheduleSetting = "EvidenceAnchorSchedule";

    [Function(nameof(AnchorEvidence))]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct) => await anchors.AnchorAsync(ct);
}
