from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0006_ce_apr_kind'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reportrun',
            name='kind',
            field=models.CharField(choices=[('apr', 'Annual Performance Report (APR)'), ('caper', 'CAPER'), ('ce_apr', 'Coordinated Entry APR (CE APR)'), ('dq', 'HUD Data Quality Report'), ('spm', 'System Performance Measures (SPM)'), ('hic', 'Housing Inventory Count (HIC)'), ('pit', 'Sheltered Point-in-Time Count (PIT)')], max_length=8),
        ),
    ]
