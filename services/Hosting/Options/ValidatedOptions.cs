using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Monitoring.Hosting.Options;

/// <summary>Options classes implement this to add checks that data annotations cannot express.</summary>
public interface IValidatableSettings
{
    /// <summary>Yields (member name, message) for each problem.</summary>
    IEnumerable<(string Member, string Message)> Validate();
}

public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to a configuration section and validates it when the host starts, so
    /// that a bad setting stops start-up with a message naming the configuration key (e.g. <c>Bus:PrefetchCount</c>).
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IHostApplicationBuilder builder, string section)
        where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(section));
        return builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>Validates settings outside a host (offline subcommands) with the same messages.</summary>
    public static T BindValidated<T>(this IConfiguration configuration, string section) where T : class, new()
    {
        var value = new T();
        configuration.GetSection(section).Bind(value);
        var result = new SettingsValidator<T>(section).Validate(null, value);
        if (result.Failed)
        {
            throw new OptionsValidationException(section, typeof(T), result.Failures);
        }
        return value;
    }

    private sealed class SettingsValidator<T>(string section) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = new List<string>();
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
            foreach (var r in results)
            {
                var members = r.MemberNames.Any() ? r.MemberNames : [""];
                failures.AddRange(members.Select(m => $"Invalid setting '{Key(m)}': {r.ErrorMessage}"));
            }
            if (options is IValidatableSettings custom)
            {
                failures.AddRange(custom.Validate().Select(p => $"Invalid setting '{Key(p.Member)}': {p.Message}"));
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private string Key(string member) => member.Length == 0 ? section : $"{section}:{member}";
    }
}
