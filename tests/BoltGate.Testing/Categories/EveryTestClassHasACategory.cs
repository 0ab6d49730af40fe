using System.Reflection;
using Xunit;

namespace BoltGate.Testing;

/// <summary>
/// Derive one class from this in each test project: its test fails when a test class of that
/// assembly carries no <c>[Trait(Category.Name, ...)]</c> with one of <see cref="Category.All"/>, so
/// a new class cannot drop out of <c>--filter Category=...</c> unnoticed.
/// </summary>
public abstract class EveryTestClassHasACategory
{
    [Fact]
    public void Every_test_class_names_one_known_category()
    {
        var uncategorised = TestClasses(GetType().Assembly)
            .Where(type => CategoriesOf(type) is not [var category] || !Category.All.Contains(category))
            .Select(type => $"{type.FullName}: [{string.Join(", ", CategoriesOf(type))}]")
            .ToList();
        Assert.True(uncategorised.Count == 0,
            $"Test classes need exactly one [Trait(Category.Name, Category.Unit|Contract|Process|Hardware)]:\n{string.Join("\n", uncategorised)}");
    }

    [Fact]
    public void The_check_sees_the_test_classes_of_its_assembly() =>
        Assert.Contains(GetType(), TestClasses(GetType().Assembly));

    /// <summary>Concrete classes with a [Fact] or [Theory] of their own or inherited.</summary>
    public static IEnumerable<Type> TestClasses(Assembly assembly) =>
        assembly.GetTypes().Where(type => type is { IsClass: true, IsAbstract: false }
            && type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public)
                .Any(method => method.IsDefined(typeof(FactAttribute), inherit: true)));

    /// <summary>The Category traits written on the class itself (put them on the concrete class, not only on a base).</summary>
    public static IReadOnlyList<string> CategoriesOf(Type type) =>
        type.GetCustomAttributesData()
            .Where(attribute => attribute.AttributeType == typeof(TraitAttribute)
                && attribute.ConstructorArguments is [{ Value: Category.Name }, _])
            .Select(attribute => (string)attribute.ConstructorArguments[1].Value!)
            .ToList();
}
