using System.Text.RegularExpressions;
using Monitoring.Contracts;

namespace Monitoring.Forecaster.Prevalence;

/// <summary>Occurrences of a term in a window and the number of distinct authors who used it there.</summary>
public sealed record TermCount(string Term, long Count, long Authors);

/// <summary>
/// Terms that rose most against a baseline window (a proportion shift, as the Hedonometer's word shifts show
/// which words moved an average). Share = count / total count of the window (all terms). Contribution =
/// current share − baseline share. Privacy (DESIGN.md): a term is shown only if at least
/// <c>minAuthors</c> (10) distinct authors used it in the current cell, and never when it looks like a
/// handle, e-mail address, phone number or URL (or a placeholder for one).
/// </summary>
public static partial class WordShift
{
    public const int DefaultMinAuthors = 10;

    public static IReadOnlyList<TermShift> Rising(IEnumerable<TermCount> current, IEnumerable<TermCount> baseline,
        int top = 10, int minAuthors = DefaultMinAuthors)
    {
        var cur = current.ToList();
        var baseMap = new Dictionary<string, long>(StringComparer.Ordinal);
        long baseTotal = 0;
        foreach (var b in baseline)
        {
            baseMap[b.Term] = baseMap.GetValueOrDefault(b.Term) + b.Count;
            baseTotal += b.Count;
        }
        long curTotal = cur.Sum(c => c.Count);
        if (curTotal == 0) return [];
        return cur
            .Where(c => c.Authors >= minAuthors && c.Count > 0 && IsShowable(c.Term))
            .Select(c =>
            {
                var cs = (double)c.Count / curTotal;
                var bs = baseTotal > 0 ? (double)baseMap.GetValueOrDefault(c.Term) / baseTotal : 0;
                return new TermShift(c.Term, bs, cs, cs - bs);
            })
            .Where(s => s.Contribution > 0)
            .OrderByDescending(s => s.Contribution)
            .ThenBy(s => s.Term, StringComparer.Ordinal)
            .Take(top)
            .ToList();
    }

    /// <summary>False for anything that looks like a handle, e-mail, phone number, URL or placeholder.</summary>
    public static bool IsShowable(string term)
    {
        if (string.IsNullOrWhiteSpace(term)) return false;
        foreach (var token in term.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.StartsWith('@') || token.StartsWith('<') || token.Contains("://", StringComparison.Ordinal)) return false;
            if (Email().IsMatch(token) || Url().IsMatch(token) || Phone().IsMatch(token) || Handle().IsMatch(token)) return false;
        }
        return !Phone().IsMatch(term.Replace(" ", "", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex Email();

    [GeneratedRegex(@"^(www\.|https?:)|\.(com|org|net|io|co|uk|de|fr|social|app|ly|me|gov|edu)(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"^\+?[\d\-\.\(\)]{7,}$")]
    private static partial Regex Phone();

    /// <summary>u/name, r/name (Reddit) and name@instance forms.</summary>
    [GeneratedRegex(@"^(u|r)/\w+|^\w+@\w+", RegexOptions.IgnoreCase)]
    private static partial Regex Handle();
}
