namespace BoltGate.Server.Cards;

/// <summary>Why a card operation changed nothing. The API maps each kind to its status and code in one place (Admin/AdminFailure).</summary>
public enum CardErrorKind
{
    /// <summary>The request's values are out of range or malformed.</summary>
    Invalid,
    CardNotFound,
    CardExists,

    /// <summary>The card's keys cannot be known (a deterministic card without a UID).</summary>
    KeysUnknown,

    /// <summary>A debit above the card's balance (money reserved for withdrawals is not in it).</summary>
    InsufficientBalance,
    WithdrawalNotFound,

    /// <summary>A credit that would take the balance above 21 million BTC (<c>BoltGateStore.MaxBalance</c>).</summary>
    BalanceTooHigh,

    /// <summary>Card programming needs an https <c>Gateway:PublicUrl</c> (the URL burned onto the card).</summary>
    PublicUrlRequired,

    /// <summary>Only a withdrawal waiting in Reserved can be canceled, never one the node may be paying.</summary>
    WithdrawalNotCancelable,

    /// <summary>An Idempotency-Key used before for a different request (another card, amount or reason).</summary>
    IdempotencyKeyReused,
    ApiKeyNotFound,

    /// <summary>No webhook, delivery or top-up with this id.</summary>
    NotFound,

    /// <summary>The Lightning node did not create the top-up's invoice.</summary>
    NodeUnavailable,
}

/// <summary>A refusal as a value: its kind and the words an operator reads.</summary>
public sealed record CardError(CardErrorKind Kind, string Message)
{
    public static CardError Invalid(string message) => new(CardErrorKind.Invalid, message);

    public static CardError CardNotFound(string message = "Not found.") => new(CardErrorKind.CardNotFound, message);
}

/// <summary>The outcome of a card operation: the value, or the <see cref="CardError"/> that says why not.</summary>
public readonly record struct CardResult<T>
{
    private CardResult(T? value, CardError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public CardError? Error { get; }

    /// <summary>A success; also for values of an interface type, which the implicit conversion cannot take.</summary>
    public static CardResult<T> Of(T value) => new(value, null);

    public static implicit operator CardResult<T>(T value) => new(value, null);

    public static implicit operator CardResult<T>(CardError error) => new(default, error);
}
