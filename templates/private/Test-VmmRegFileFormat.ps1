function Test-VmmRegFileFormat {
    <#
    .SYNOPSIS
        Checks that a file is a registry export as regedit writes it (UTF-16LE with byte order mark, the header
        "Windows Registry Editor Version 5.00", then [key] lines, value lines, hex continuations and comments).
        Returns $null when it is, or the reason it is not.
    .PARAMETER Path
        The .reg file.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $bytes = [System.IO.File]::ReadAllBytes($Path)
    if ($bytes.Length -lt 2 -or $bytes[0] -ne 0xFF -or $bytes[1] -ne 0xFE) {
        return 'it is not UTF-16LE with a byte order mark, as regedit exports'
    }
    $text = [System.Text.Encoding]::Unicode.GetString($bytes, 2, $bytes.Length - 2)
    $lines = $text -split "`r`n|`n|`r"
    $index = 0
    while ($index -lt $lines.Count -and $lines[$index].Trim().Length -eq 0) { $index++ }
    if ($index -ge $lines.Count -or $lines[$index].Trim() -ne 'Windows Registry Editor Version 5.00') {
        return "it does not start with 'Windows Registry Editor Version 5.00'"
    }
    $keys = 0
    $continued = $false
    for ($i = $index + 1; $i -lt $lines.Count; $i++) {
        $line = $lines[$i].Trim()
        if ($continued) {
            $continued = $line.EndsWith('\')
            if ($line -notmatch '^([0-9A-Fa-f]{2},?)*\\?$') { return "line $($i + 1) is not a hex continuation" }
            continue
        }
        if ($line.Length -eq 0 -or $line.StartsWith(';')) { continue }
        if ($line -match '^\[[^\]\r\n].*\]$') {
            $keys++
            continue
        }
        if ($keys -eq 0) { return "line $($i + 1) holds a value before any [key] line" }
        if ($line -match '^(@|"(?:[^"\\]|\\.)*")=(.*)$') {
            $data = $Matches[2]
            if ($data -match '^hex(\([0-9A-Fa-f]+\))?:') { $continued = $data.EndsWith('\') }
            elseif ($data -notmatch '^("(?:[^"\\]|\\.)*"|dword:[0-9A-Fa-f]{8}|-)$') { return "line $($i + 1) has a value that is not a string, dword or hex data" }
            continue
        }
        return "line $($i + 1) is neither a [key], a value nor a comment"
    }
    if ($continued) { return 'it ends inside hex data (the file is truncated)' }
    if ($keys -eq 0) { return 'it holds no registry key' }
    $null
}
