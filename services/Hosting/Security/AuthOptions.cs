namespace Monitoring.Hosting.Security;

/// <summary>Section <c>Auth</c>.</summary>
public sealed class AuthOptions : Options.IValidatableSettings
{
    public const string Section = "Auth";

    /// <summary>
    /// When the key store is empty at start-up, create an admin key and print it once. On by default so that the
    /// embedded default is usable at once; switch off where keys are provisioned otherwise.
    /// </summary>
    public bool CreateAdminKeyWhenEmpty { get; set; } = true;

    /// <summary>A deployment-provided admin key (from a secret), stored at start-up if missing.</summary>
    public string? AdminKey { get; set; }

    public IEnumerable<(string Member, string Message)> Validate()
    {
        if (!string.IsNullOrEmpty(AdminKey) && ApiKeyFormat.PrefixOf(AdminKey) is null)
        {
            yield return (nameof(AdminKey), $"must look like {ApiKeyFormat.Scheme}_<12 lower-case hex digits>_<secret>; create one with `monitoring keys create --role admin`.");
        }
    }
}
