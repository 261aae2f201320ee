using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Monitoring.Dashboard.Tests;

/// <summary>
/// The rules of OASIS CAP 1.2 (Common Alerting Protocol Version 1.2, OASIS Standard, 1 July 2010) that can be checked
/// without the XSD: namespace, element order and cardinality of alert and info (§3.2.1, §3.2.2 and the schema's
/// sequence), value enumerations, and the date-time form (§3.3.2: no 'Z', no fractional seconds).
/// </summary>
public static partial class CapRules
{
    public static readonly XNamespace Cap = "urn:oasis:names:tc:emergency:cap:1.2";

    // The xs:sequence of <alert> and of <info> in the CAP 1.2 schema, with minOccurs.
    private static readonly (string Name, bool Required, bool Many)[] AlertSequence =
    [
        ("identifier", true, false), ("sender", true, false), ("sent", true, false), ("status", true, false), ("msgType", true, false),
        ("source", false, false), ("scope", true, false), ("restriction", false, false), ("addresses", false, false), ("code", false, true),
        ("note", false, false), ("references", false, false), ("incidents", false, false), ("info", false, true),
    ];

    private static readonly (string Name, bool Required, bool Many)[] InfoSequence =
    [
        ("language", false, false), ("category", true, true), ("event", true, false), ("responseType", false, true), ("urgency", true, false),
        ("severity", true, false), ("certainty", true, false), ("audience", false, false), ("eventCode", false, true), ("effective", false, false),
        ("onset", false, false), ("expires", false, false), ("senderName", false, false), ("headline", false, false), ("description", false, false),
        ("instruction", false, false), ("web", false, false), ("contact", false, false), ("parameter", false, true), ("resource", false, true),
        ("area", false, true),
    ];

    private static readonly Dictionary<string, string[]> Enumerations = new()
    {
        ["status"] = ["Actual", "Exercise", "System", "Test", "Draft"],
        ["msgType"] = ["Alert", "Update", "Cancel", "Ack", "Error"],
        ["scope"] = ["Public", "Restricted", "Private"],
        ["category"] = ["Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other"],
        ["responseType"] = ["Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None"],
        ["urgency"] = ["Immediate", "Expected", "Future", "Past", "Unknown"],
        ["severity"] = ["Extreme", "Severe", "Moderate", "Minor", "Unknown"],
        ["certainty"] = ["Observed", "Likely", "Possible", "Unlikely", "Unknown"],
    };

    // §3.3.2: "2002-05-24T16:49:00-07:00"; UTC as "-00:00"; alphabetic designators such as "Z" must not be used.
    [GeneratedRegex(@"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d[+-]([01]\d|2[0-3]):[0-5]\d$")]
    private static partial Regex DateTime();

    // identifier and sender: no spaces, commas or restricted characters (< and &).
    [GeneratedRegex(@"^[^\s,<&]+$")]
    private static partial Regex Token();

    /// <summary>Every violation found in one &lt;alert&gt; element; empty when it follows the rules.</summary>
    public static List<string> Check(XElement alert)
    {
        var errors = new List<string>();
        if (alert.Name != Cap + "alert") errors.Add($"root is {alert.Name}, not {{{Cap}}}alert");
        errors.AddRange(CheckSequence(alert, AlertSequence, "alert"));
        foreach (var name in new[] { "identifier", "sender" })
        {
            var v = alert.Element(Cap + name)?.Value;
            if (v is not null && !Token().IsMatch(v)) errors.Add($"{name} '{v}' has spaces, commas or restricted characters");
        }
        CheckTime(alert.Element(Cap + "sent"), errors);
        CheckEnums(alert, errors);
        var msgType = alert.Element(Cap + "msgType")?.Value;
        if (msgType is "Update" or "Cancel" && alert.Element(Cap + "references") is null) errors.Add($"msgType {msgType} without references");
        if (alert.Element(Cap + "references") is { } refs)
        {
            foreach (var r in refs.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = r.Split(',');
                if (parts.Length != 3) errors.Add($"reference '{r}' is not sender,identifier,sent");
                else if (!DateTime().IsMatch(parts[2])) errors.Add($"reference '{r}' has a bad sent time");
            }
        }
        foreach (var info in alert.Elements(Cap + "info"))
        {
            errors.AddRange(CheckSequence(info, InfoSequence, "info"));
            CheckEnums(info, errors);
            foreach (var t in new[] { "effective", "onset", "expires" }) CheckTime(info.Element(Cap + t), errors);
            foreach (var p in info.Elements(Cap + "parameter"))
            {
                if (p.Elements().Select(e => e.Name.LocalName).SequenceEqual(["valueName", "value"]) == false) errors.Add("parameter is not valueName, value");
            }
            foreach (var area in info.Elements(Cap + "area"))
            {
                if (area.Elements().FirstOrDefault()?.Name != Cap + "areaDesc") errors.Add("area does not start with areaDesc");
            }
        }
        foreach (var e in alert.DescendantsAndSelf())
        {
            if (e.Name.Namespace != Cap) errors.Add($"element {e.Name} is outside the CAP 1.2 namespace");
        }
        return errors;
    }

    private static IEnumerable<string> CheckSequence(XElement parent, (string Name, bool Required, bool Many)[] sequence, string what)
    {
        var names = parent.Elements().Select(e => e.Name.LocalName).ToList();
        var position = 0;
        foreach (var name in names)
        {
            var index = Array.FindIndex(sequence, s => s.Name == name);
            if (index < 0)
            {
                yield return $"{what} has an unknown element <{name}>";
                continue;
            }
            if (index < position) yield return $"{what}: <{name}> is out of order";
            position = index;
        }
        foreach (var (name, required, many) in sequence)
        {
            var count = names.Count(n => n == name);
            if (required && count == 0) yield return $"{what} lacks required <{name}>";
            if (!many && count > 1) yield return $"{what} has <{name}> {count} times";
        }
    }

    private static void CheckEnums(XElement parent, List<string> errors)
    {
        foreach (var (name, values) in Enumerations)
        {
            foreach (var e in parent.Elements(Cap + name))
            {
                if (!values.Contains(e.Value)) errors.Add($"<{name}> '{e.Value}' is not one of {string.Join(", ", values)}");
            }
        }
    }

    private static void CheckTime(XElement? e, List<string> errors)
    {
        if (e is not null && !DateTime().IsMatch(e.Value)) errors.Add($"<{e.Name.LocalName}> '{e.Value}' is not a CAP date-time");
    }
}
