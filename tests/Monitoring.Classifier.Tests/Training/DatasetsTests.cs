using Monitoring.Classifier.Training;

namespace Monitoring.Classifier.Tests.Training;

public class DatasetsTests
{
    [Fact]
    public void Csv_reader_handles_quotes_doubled_quotes_and_newlines()
    {
        var rows = Datasets.ReadDelimited(new StringReader("a,\"b,\"\"c\"\"\nd\",e\nf,g,h\n"), ',').ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["a", "b,\"c\"\nd", "e"], rows[0]);
        Assert.Equal(["f", "g", "h"], rows[1]);
    }

    [Fact]
    public void GoEmotions_dev_reads_every_row_with_rollups()
    {
        var rows = Datasets.ReadGoEmotions(TestData.Fixture("goemotions", "dev-first-1500.tsv"));
        Assert.Equal(1500, rows.Count);
        Assert.All(rows, r => Assert.NotEmpty(r.Labels));
        // Every row with an anger-family emotion carries the ekman.anger roll-up.
        Assert.All(rows.Where(r => r.Labels.Contains("emotion.annoyance")), r => Assert.Contains("ekman.anger", r.Labels));
        Assert.All(rows.Where(r => r.Labels.Contains("emotion.joy")), r => Assert.Contains("sentiment.positive", r.Labels));
    }

    [Fact]
    public void Davidson_hostility_is_hate_or_offensive()
    {
        // The sample holds 77 hate, 911 offensive and 212 neither (Fixtures/davidson/SOURCE.md), some tweets over several lines.
        var rows = Datasets.ReadDavidson(TestData.Fixture("davidson", "davidson-sample-1200.csv"));
        Assert.Equal(1200, rows.Count);
        Assert.Equal(77 + 911, rows.Count(r => r.Labels.Contains("hostility")));
        Assert.Equal(77, rows.Count(r => r.Labels.Contains("davidson.class0")));
        Assert.Contains(rows, r => r.Text.Contains('\n', StringComparison.Ordinal));
    }

    [Fact]
    public void ReDsm5_annotations_become_sentence_labels()
    {
        var rows = Datasets.ReadReDsm5(TestData.Fixture("redsm5", "redsm5_annotations_sample_paraphrased.csv"));
        Assert.Contains(rows, r => r.Text == "Nothing interests me anymore." && r.Labels.Contains("dsm5.anhedonia"));
        // status 0 means the symptom is absent.
        Assert.Contains(rows, r => r.Text == "I feel extremely weighed down." && r.Labels.Count == 0);
    }

    [Fact]
    public void Carve_is_seeded_and_stratified()
    {
        var rows = Datasets.ReadDavidson(TestData.Fixture("davidson", "davidson-sample-1200.csv"));
        var (train, tune) = Tasks.Carve(rows, 0.15, 13);
        var (_, tune2) = Tasks.Carve(rows, 0.15, 13);
        var (_, otherSeed) = Tasks.Carve(rows, 0.15, 14);
        Assert.Equal(tune.Select(r => r.Text), tune2.Select(r => r.Text));
        Assert.NotEqual(tune.Select(r => r.Text), otherSeed.Select(r => r.Text));
        Assert.Equal(rows.Count, train.Count + tune.Count);
        // Each class keeps its share: 15 % of 77 hate, 911 offensive and 212 neither, rounded.
        Assert.Equal(12, tune.Count(r => r.Labels.Contains("davidson.class0")));
        Assert.Equal(137, tune.Count(r => r.Labels.Contains("davidson.class1")));
        Assert.Equal(32, tune.Count(r => r.Labels.Contains("davidson.class2")));
    }
}
