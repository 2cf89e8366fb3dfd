function ConvertFrom-VmmCmdkeyList {
    <#
    .SYNOPSIS
        Reads the output of `cmdkey.exe /list` (English Windows) into one record per stored credential, without
        any secret.
    .DESCRIPTION
        English output looks like:
            Currently stored credentials:

                Target: Domain:target=vmmhost01.contoso.test
                Type: Domain Password
                User: CONTOSO\svc-vmm
                Local machine persistence
        Each "Target:" line starts a credential; its "Type:" and "User:" lines complete it; persistence lines are
        skipped. Any other line is dropped (counted in Dropped) and never returned (cmdkey prints no password, and nothing else is carried over). "* NONE *"
        means no credentials.

        A localized Windows writes these labels in its own language. When the output holds none of the English
        labels, the parser does not guess: it returns each non-empty line as a record with Parsed = $false and
        the whole line as Target, except lines that look like a password or secret label with a value
        ("Password: ...", "Kennwort: ...", ...), which are dropped and counted in Dropped.

        Returns [pscustomobject]@{ Recognized; Dropped; Items = @( [pscustomobject]@{ Target; Type; User; Parsed } ) }.
    .PARAMETER Line
        The lines cmdkey wrote.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [AllowEmptyCollection()]
        [AllowEmptyString()]
        [string[]] $Line = @()
    )

    $headerPattern = '^\s*Currently stored credentials'
    $targetPattern = '^\s*Target:\s?(?<value>.*)$'
    $typePattern = '^\s*Type:\s?(?<value>.*)$'
    $userPattern = '^\s*User:\s?(?<value>.*)$'
    $nonePattern = '^\s*\*\s*NONE\s*\*\s*$'
    $persistencePattern = '^\s*(Local machine persistence|Saved for this logon only|Enterprise persistence)\s*$'
    # A label that names a secret, in the languages Windows ships most, followed by ':' or '=' and a value.
    $secretPattern = '(?i)(password|passwort|kennwort|mot de passe|contrase|senha|wachtwoord|parola|pwd|passwd|secret|token)\w*\s*[:=]\s*\S'

    $lines = @($Line | ForEach-Object { ([string]$_) -split "`r?`n" })
    $recognized = $false
    foreach ($text in $lines) {
        if ($text -match $headerPattern -or $text -match $targetPattern -or $text -match $nonePattern) { $recognized = $true; break }
    }

    $items = New-Object System.Collections.Generic.List[object]
    $dropped = 0
    if ($recognized) {
        $current = $null
        foreach ($text in $lines) {
            if ($text -match $targetPattern) {
                if ($null -ne $current) { $items.Add([pscustomobject]$current) }
                $current = [ordered]@{ Target = $Matches['value'].TrimEnd(); Type = $null; User = $null; Parsed = $true }
            } elseif ($null -ne $current -and $text -match $typePattern) {
                $value = $Matches['value'].Trim()
                if ($value) { $current.Type = $value }
            } elseif ($null -ne $current -and $text -match $userPattern) {
                $value = $Matches['value'].Trim()
                if ($value -and $value -ne '<none>') { $current.User = $value }
            } elseif ($text.Trim() -and $text -notmatch $headerPattern -and $text -notmatch $nonePattern -and $text -notmatch $persistencePattern) {
                $dropped++
            }
        }
        if ($null -ne $current) { $items.Add([pscustomobject]$current) }
    } else {
        foreach ($text in $lines) {
            $trimmed = $text.Trim()
            if (-not $trimmed) { continue }
            if ($trimmed -match $secretPattern) { $dropped++; continue }
            $items.Add([pscustomobject][ordered]@{ Target = $trimmed; Type = $null; User = $null; Parsed = $false })
        }
    }
    [pscustomobject]@{ Recognized = $recognized; Dropped = $dropped; Items = $items.ToArray() }
}
