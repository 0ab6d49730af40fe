namespace BoltGate.Demo.Tests;

/// <summary>Fails when a test class of this project has no test category (see <see cref="Category"/>).</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class TestCategoriesTests : EveryTestClassHasACategory;
