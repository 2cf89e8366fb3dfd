function ConvertTo-VmmDrillReport {
    <#
    .SYNOPSIS
        A self-contained HTML page (no script, no outside resource) reporting a restore drill for people, in the
        runbook's style: the summary, then one section per item with its state, RPO, RTO, bytes and evidence.
    .DESCRIPTION
        Every value from the drill is HTML-encoded. Each item's section carries data-item and data-state
        attributes, so a test (or a person) can find each item on the page.
    .PARAMETER Results
        The VmmBackup.DrillResult objects.
    .PARAMETER Source
        The path drilled.
    .PARAMETER SetName
        The set drilled.
    .PARAMETER Summary
        One sentence of summary.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)] [AllowEmptyCollection()] [object[]] $Results,
        [Parameter(Mandatory = $true)] [string] $Source,
        [AllowNull()] [string] $SetName,
        [Parameter(Mandatory = $true)] [string] $Summary
    )

    $e = { param($Value) if ($null -eq $Value) { '' } else { [System.Net.WebUtility]::HtmlEncode([string]$Value) } }
    $culture = [System.Globalization.CultureInfo]::InvariantCulture
    $number = { param($Value, [string] $Format) if ($null -eq $Value) { '-' } else { ([double]$Value).ToString($Format, $culture) } }
    $time = { param($Value) if ($null -eq $Value) { '-' } else { ([datetime]$Value).ToUniversalTime().ToString('yyyy-MM-dd HH:mm:ss', $culture) + ' UTC' } }
    $html = New-Object -TypeName System.Text.StringBuilder
    $add = { param([string] $Line) $null = $html.Append($Line).Append("`n") }
    & $add '<!DOCTYPE html>'
    & $add '<html lang="en">'
    & $add '<head>'
    & $add '<meta charset="utf-8">'
    & $add '<meta name="viewport" content="width=device-width, initial-scale=1">'
    & $add '<meta name="generator" content="VmmBackup Invoke-VmmRestoreDrill">'
    & $add '<title>VMM restore drill</title>'
    & $add ('<style>' + "`n" + (Get-VmmReportStyle) + '</style>')
    & $add '</head>'
    & $add '<body>'
    & $add '<h1>VMM restore drill</h1>'
    & $add ('<p id="summary">' + (& $e $Summary) + '</p>')
    & $add ('<p>Backup: <code>' + (& $e $Source) + '</code>' + $(if ($SetName) { ', set <code>' + (& $e $SetName) + '</code>' } else { '' }) + '. Drilled on ' + (& $e ([System.Environment]::MachineName)) + ', ' + (& $time (Get-Date)) + '.</p>')
    & $add '<table>'
    & $add '<thead><tr><th>Item</th><th>State</th><th>Backup taken</th><th>RPO (hours)</th><th>RTO (seconds)</th><th>Bytes</th><th>Bytes per second</th></tr></thead>'
    & $add '<tbody>'
    foreach ($result in $Results) {
        & $add ('<tr><td><a href="#item-' + (& $e $result.Item) + '">' + (& $e $result.Item) + '</a></td><td><span class="state state-' + (& $e $result.State) + '">' + (& $e $result.State) + '</span></td><td>' + (& $time $result.BackupTime) + '</td><td>' + (& $number $result.RpoHours 'N1') + '</td><td>' + (& $number $result.RtoSeconds 'N1') + '</td><td>' + (& $number $result.Bytes 'N0') + '</td><td>' + (& $number $result.BytesPerSecond 'N0') + '</td></tr>')
    }
    & $add '</tbody>'
    & $add '</table>'
    foreach ($result in $Results) {
        $class = 'step'
        if ($result.State -ne 'Passed') { $class = 'step checklist' }
        & $add ('<section class="' + $class + '" id="item-' + (& $e $result.Item) + '" data-item="' + (& $e $result.Item) + '" data-state="' + (& $e $result.State) + '">')
        & $add ('<div class="kind">restore drill &middot; ' + (& $e $result.Item) + '</div>')
        & $add ('<h3>' + (& $e $result.Item) + ': <span class="state state-' + (& $e $result.State) + '">' + (& $e $result.State) + '</span></h3>')
        $sample = ''
        if ($result.Sampled) { $sample = ' (a random sample of the files)' }
        & $add ('<p>Restored from <code>' + (& $e $result.Path) + '</code>' + $sample + '.</p>')
        & $add '<ul class="evidence">'
        foreach ($line in @($result.Evidence)) { & $add ('<li>' + (& $e $line) + '</li>') }
        & $add '</ul>'
        & $add '</section>'
    }
    & $add '</body>'
    & $add '</html>'
    $html.ToString()
}
