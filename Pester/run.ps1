<#
.SYNOPSIS
    Runs the project's Pester suite with the Pester module installed in .tools/ by `npm run setup`.
.PARAMETER Path
    Test files or folders to run; all of Pester/ by default.
.PARAMETER ResultJson
    Where to write {"passed":n,"failed":n,"skipped":n} for the summary of `npm test`.
#>
[CmdletBinding()]
param(
    [string[]] $Path = @($PSScriptRoot),
    [string] $ResultJson,
    [string] $Output = 'Normal'
)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
$pesterRoot = Join-Path $root '.tools/modules/pester'
$versionFile = Join-Path $pesterRoot '.version'
if (-not (Test-Path -LiteralPath $versionFile)) { throw 'Pester is not installed: run npm run setup' }
$version = (Get-Content -LiteralPath $versionFile -TotalCount 1).Trim()
$pester = Join-Path $pesterRoot "$version/tools/Pester.psd1"
if (-not (Test-Path -LiteralPath $pester)) { throw "Pester $version is not installed: run npm run setup" }
Import-Module $pester -Force

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = $Output
$result = Invoke-Pester -Configuration $config
if ($ResultJson) {
    @{ passed = $result.PassedCount; failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; skipped = $result.SkippedCount } |
        ConvertTo-Json -Compress | Set-Content -Path $ResultJson -Encoding utf8
}
if ($result.Result -ne 'Passed') { exit 1 }
exit 0
