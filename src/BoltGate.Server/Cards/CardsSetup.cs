namespace BoltGate.Server.Cards;

public static class CardsSetup
{
    /// <summary>Extension point for Program.cs: card administration and the key ring it and programming use.</summary>
    public static IServiceCollection AddCards(this IServiceCollection services) =>
        services.AddSingleton<CardKeyRing>().AddSingleton<CardService>();
}
