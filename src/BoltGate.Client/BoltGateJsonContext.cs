using System.Text.Json;
using System.Text.Json.Serialization;

namespace BoltGate.Client;

/// <summary>Source-generated JSON for every shape the client sends or reads (camelCase, nulls left out of requests).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateCardRequest))]
[JsonSerializable(typeof(ImportCardRequest))]
[JsonSerializable(typeof(AmountRequest))]
[JsonSerializable(typeof(LimitsRequest))]
[JsonSerializable(typeof(PinRequest))]
[JsonSerializable(typeof(PaymentPolicyRequest))]
[JsonSerializable(typeof(CancelRequest))]
[JsonSerializable(typeof(ProgrammingLinkRequest))]
[JsonSerializable(typeof(ProgramRequest))]
[JsonSerializable(typeof(ResetRequest))]
[JsonSerializable(typeof(Card))]
[JsonSerializable(typeof(CardCreated))]
[JsonSerializable(typeof(List<Withdrawal>))]
[JsonSerializable(typeof(Withdrawal))]
[JsonSerializable(typeof(List<LedgerEntry>))]
[JsonSerializable(typeof(PaymentPolicyAnswer))]
[JsonSerializable(typeof(ProgrammingLink))]
[JsonSerializable(typeof(WipeKeys))]
[JsonSerializable(typeof(BoltCardCreation))]
[JsonSerializable(typeof(DeeplinkKeys))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class BoltGateJsonContext : JsonSerializerContext;
