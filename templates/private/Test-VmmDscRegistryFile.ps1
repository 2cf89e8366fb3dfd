function Test-VmmDscRegistryFile {
    <#
    .SYNOPSIS
        Checks a .reg export of the VMM settings: says what is wrong (Problem, $null when sound) and whether it
        holds the Sql subkey (IncludesSql).
    .DESCRIPTION
        Sound means: UTF-16LE with its byte order mark (what regedit and Backup-VmmRegistrySetting write); the
        first line is "Windows Registry Editor Version 5.00"; the settings key appears as a key line; and every
        other line is blank, a comment (;), a key ([...]), a value ("name"=... or @=...) or the continuation of
        a value that ended with a backslash.
    .PARAMETER LiteralPath
        The .reg file.
    .PARAMETER SettingsKey
        The settings key the export must hold.
    .PARAMETER SqlSubkey
        Name of the Sql subkey.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $LiteralPath,

        [Parameter(Mandatory = $true)]
        [string] $SettingsKey,

        [Parameter(Mandatory = $true)]
        [string] $SqlSubkey
    )

    $result = [ordered]@{ Problem = $null; IncludesSql = $false }
    try {
        $bytes = [System.IO.File]::ReadAllBytes($LiteralPath)
    } catch {
        $result.Problem = "The registry export '$LiteralPath' cannot be read: $($_.Exception.Message)"
        return [pscustomobject]$result
    }
    if ($bytes.Length -lt 2 -or $bytes[0] -ne 0xFF -or $bytes[1] -ne 0xFE) {
        $result.Problem = "The registry export '$LiteralPath' is not a UTF-16 .reg file (no byte order mark FF FE)."
        return [pscustomobject]$result
    }
    $text = [System.Text.Encoding]::Unicode.GetString($bytes, 2, $bytes.Length - 2)
    $lines = $text -split "`r?`n"
    if ($lines[0] -cne 'Windows Registry Editor Version 5.00') {
        $result.Problem = "The registry export '$LiteralPath' does not begin with 'Windows Registry Editor Version 5.00'."
        return [pscustomobject]$result
    }
    $settingsLine = '[' + $SettingsKey + ']'
    $sqlPrefix = '[' + $SettingsKey + '\' + $SqlSubkey
    $hasSettings = $false
    $continued = $false
    for ($i = 1; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($continued) {
            $continued = $line.EndsWith('\')
            continue
        }
        if ($line.Trim().Length -eq 0 -or $line.StartsWith(';')) {
            continue
        }
        if ($line.StartsWith('[')) {
            if (-not $line.EndsWith(']')) {
                $result.Problem = "The registry export '$LiteralPath' has a malformed key on line $($i + 1)."
                return [pscustomobject]$result
            }
            if ([string]::Equals($line, $settingsLine, [System.StringComparison]::OrdinalIgnoreCase)) {
                $hasSettings = $true
            }
            if ($line.StartsWith($sqlPrefix, [System.StringComparison]::OrdinalIgnoreCase)) {
                $rest = $line.Substring($sqlPrefix.Length)
                if ($rest -eq ']' -or $rest.StartsWith('\')) {
                    $result.IncludesSql = $true
                }
            }
            continue
        }
        if ($line -match '^(@|"(?:[^"\\]|\\.)*")=') {
            $continued = $line.EndsWith('\')
            continue
        }
        $result.Problem = "The registry export '$LiteralPath' has a line that is neither a key nor a value (line $($i + 1))."
        return [pscustomobject]$result
    }
    if (-not $hasSettings) {
        $result.Problem = "The registry export '$LiteralPath' does not hold the key $SettingsKey."
    }
    [pscustomobject]$result
}
