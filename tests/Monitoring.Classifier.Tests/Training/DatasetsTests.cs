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
        var rows = Datasets.ReadGoEmotions(TestData.Shared("goemotions", "dev.tsv"));
        Assert.Equal(5426, rows.Count);
        Assert.All(rows, r => Assert.NotEmpty(r.Labels));
        // Every row with an anger-family emotion carries the ekman.anger roll-up.
        Assert.All(rows.Where(r => r.Labels.Contains("emotion.annoyance")), r => Assert.Contains("ekman.anger", r.Labels));
        Assert.All(rows.Where(r => r.Labels.Contains("emotion.joy")), r => Assert.Contains("sentiment.positive", r.Labels));
    }

    [Fact]
    public void Davidson_hostility_is_hate_or_offensive()
    {
        var rows = Datasets.ReadDavidson(TestData.Shared("hostility", "davidson_train.csv"));
        Assert.Equal(19830, rows.Count);
        Assert.Equal(15357 + 1168, rows.Count(r => r.Labels.Contains("hostility")));
    }

    [Fact]
    public void ReDsm5_annotations_become_sentence_labels()
    {
        var rows = Datasets.ReadReDsm5(TestData.Shared("redsm5_sample", "redsm5_annotations_sample_paraphrased.csv"));
        Assert.Contains(rows, r => r.Text == "Nothing interests me anymore." && r.Labels.Contains("dsm5.anhedonia"));
        // status 0 means the symptom is absent.
        Assert.Contains(rows, r => r.Text == "I feel extremely weighed down." && r.Labels.Count == 0);
    }

    [Fact]
    public void Carve_is_seeded_and_stratified()
    {
        var rows = Datasets.ReadDavidson(TestData.Shared("hostility", "davidson_train.csv"));
        var (train, tune) = Tasks.Carve(rows, 0.15, 13);
        var (_, tune2) = Tasks.Carve(rows, 0.15, 13);
        Assert.Equal(tune.Select(r => r.Text), tune2.Select(r => r.Text));
        Assert.Equal(rows.Count, train.Count + tune.Count);
        var share = tune.Count(r => r.Labels.Contains("davidson.class0")) / (double)tune.Count;
        Assert.InRange(share, 1168 / 19830.0 - 0.003, 1168 / 19830.0 + 0.003);
    }
}
