function Read-VmmRegFile {
    <#
    .SYNOPSIS
        Parses a .reg file (regedit "Windows Registry Editor Version 5.00" or REGEDIT4) into key records, the
        same shape Read-VmmRegistryTree returns.
    .DESCRIPTION
        Understands what regedit exports: [key] sections, @= and "name"= values, "string" (with \\ and \"
        escapes), dword:, hex:, hex(n): with line continuations, and ; comments. Key and value deletions ([-key],
        "name"=-) and registry types other than 0, 1, 2, 3, 4, 7 and b are refused with an error naming the line,
        because the module only restores what Backup-VmmRegistrySetting writes.
    .PARAMETER Path
        The .reg file.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        throw "The registry backup file '$Path' does not exist."
    }
    $text = [System.IO.File]::ReadAllText($Path)
    $lines = $text -split "`r`n|`n|`r"
    $index = 0
    while ($index -lt $lines.Count -and $lines[$index].Trim().Length -eq 0) { $index++ }
    if ($index -ge $lines.Count -or ($lines[$index].Trim() -ne 'Windows Registry Editor Version 5.00' -and $lines[$index].Trim() -ne 'REGEDIT4')) {
        throw "The file '$Path' is not a registry file: it does not start with 'Windows Registry Editor Version 5.00'."
    }
    $index++
    $unicode = New-Object System.Text.UnicodeEncoding($false, $false)
    $records = New-Object System.Collections.Generic.List[object]
    $current = $null
    $currentValues = $null

    while ($index -lt $lines.Count) {
        $lineNumber = $index + 1
        $line = $lines[$index]
        $index++
        # Join continuation lines of hex data ("...,\" then "  xx,...").
        while ($line.TrimEnd().EndsWith('\') -and -not $line.TrimStart().StartsWith('[') -and $line -match '=\s*hex' -and $index -lt $lines.Count) {
            $line = $line.TrimEnd()
            $line = $line.Substring(0, $line.Length - 1) + $lines[$index].Trim()
            $index++
        }
        $trimmed = $line.Trim()
        if ($trimmed.Length -eq 0 -or $trimmed.StartsWith(';')) { continue }

        if ($trimmed.StartsWith('[')) {
            if (-not $trimmed.EndsWith(']')) { throw "Line ${lineNumber} of '$Path' is not a valid key line: $trimmed" }
            $keyPath = $trimmed.Substring(1, $trimmed.Length - 2)
            if ($keyPath.StartsWith('-')) {
                throw "Line ${lineNumber} of '$Path' deletes the key '$($keyPath.Substring(1))'; this module imports settings only and does not delete keys."
            }
            if ($null -ne $current) { $records.Add([pscustomobject]@{ Path = $current; Values = $currentValues.ToArray() }) }
            $current = $keyPath
            $currentValues = New-Object System.Collections.Generic.List[object]
            continue
        }
        if ($null -eq $current) { throw "Line ${lineNumber} of '$Path' holds a value before any [key] line." }

        # The value name: @ or a quoted string with \\ and \" escapes.
        $position = 0
        $name = $null
        if ($trimmed[0] -eq '@') {
            $name = ''
            $position = 1
        } elseif ($trimmed[0] -eq '"') {
            $builder = New-Object System.Text.StringBuilder
            $position = 1
            $closed = $false
            while ($position -lt $trimmed.Length) {
                $c = $trimmed[$position]
                if ($c -eq '\' -and $position + 1 -lt $trimmed.Length) {
                    $null = $builder.Append($trimmed[$position + 1])
                    $position += 2
                    continue
                }
                if ($c -eq '"') { $closed = $true; $position++; break }
                $null = $builder.Append($c)
                $position++
            }
            if (-not $closed) { throw "Line ${lineNumber} of '$Path' has an unterminated value name." }
            $name = $builder.ToString()
        } else {
            throw "Line ${lineNumber} of '$Path' is not a key, a value or a comment: $trimmed"
        }
        $rest = $trimmed.Substring($position).TrimStart()
        if (-not $rest.StartsWith('=')) { throw "Line ${lineNumber} of '$Path' lacks '=' after the value name." }
        $data = $rest.Substring(1).Trim()

        if ($data -eq '-') {
            throw "Line ${lineNumber} of '$Path' deletes the value '$name'; this module imports settings only and does not delete values."
        }
        if ($data.StartsWith('"')) {
            if ($data.Length -lt 2 -or -not $data.EndsWith('"')) { throw "Line ${lineNumber} of '$Path' has an unterminated string value." }
            $inner = $data.Substring(1, $data.Length - 2)
            $builder = New-Object System.Text.StringBuilder
            for ($i = 0; $i -lt $inner.Length; $i++) {
                if ($inner[$i] -eq '\' -and $i + 1 -lt $inner.Length) { $i++ }
                $null = $builder.Append($inner[$i])
            }
            $currentValues.Add([pscustomobject]@{ Name = $name; Kind = 'String'; Data = $builder.ToString() })
            continue
        }
        $dword = [regex]::Match($data, '^dword:([0-9a-fA-F]{1,8})$')
        if ($dword.Success) {
            $currentValues.Add([pscustomobject]@{ Name = $name; Kind = 'DWord'; Data = [System.Convert]::ToUInt32($dword.Groups[1].Value, 16) })
            continue
        }
        $hex = [regex]::Match($data, '^hex(\(([0-9a-fA-F]+)\))?:(.*)$')
        if (-not $hex.Success) { throw "Line ${lineNumber} of '$Path' has a value of a form this module does not read: $data" }
        $type = 3
        if ($hex.Groups[1].Success) { $type = [System.Convert]::ToInt32($hex.Groups[2].Value, 16) }
        $byteList = New-Object System.Collections.Generic.List[byte]
        foreach ($part in $hex.Groups[3].Value.Split(',')) {
            $p = $part.Trim()
            if ($p.Length -eq 0) { continue }
            if ($p -notmatch '^[0-9a-fA-F]{1,2}$') { throw "Line ${lineNumber} of '$Path' has a bad hex byte '$p'." }
            $byteList.Add([System.Convert]::ToByte($p, 16))
        }
        [byte[]] $bytes = $byteList.ToArray()
        switch ($type) {
            0 { $currentValues.Add([pscustomobject]@{ Name = $name; Kind = 'None'; Data = $bytes }) }
            3 { $currentValues.Add([pscustomobject]@{ Name = $name; Kind = 'Binary'; Data = $bytes }) }
            { $_ -eq 1 -or $_ -eq 2 } {
                $decoded = $unicode.GetString($bytes)
                $end = $decoded.IndexOf([char]0)
                if ($end -ge 0 -and $decoded.Substring($end).Trim([char]0).Length -eq 0) { $decoded = $decoded.Substring(0, $end) }
                $kind = 'String'
                if ($type -eq 2) { $kind = 'ExpandString' }
                $currentValues.Add([pscustomobject]@{ Name = $name; Kind = $kind; Data = $decoded })
            }
            4 {
                if ($bytes.Length -ne 4) { throw "Line ${lineNumber} of '$Path' has a hex(4) value that is not 4 bytes long." }
                $currentValues.Add([pscustomobject]@{ Name = $name; Kind = 'DWord'; Data = [System.BitConverter]::ToUInt32($bytes, 0) })
            }
            7 {
                $decoded = $unicode.GetString($bytes)
                $items = New-Object System.Collections.Generic.List[string]
                foreach ($piece in $decoded.Split([char]0)) { $items.Add($piece) }
                # Drop the terminators: the string list ends with "\0\0".
                while ($items.Count -gt 0 -and $items[$items.Count - 1].Length -eq 0) { $items.RemoveAt($items.Count - 1) }
                $currentValues.Add([pscustomobject]@{ Name = $name; Kind = 'MultiString'; Data = [string[]]$items.ToArray() })
            }
            11 {
                if ($bytes.Length -ne 8) { throw "Line ${lineNumber} of '$Path' has a hex(b) value that is not 8 bytes long." }
                $currentValues.Add([pscustomobject]@{ Name = $name; Kind = 'QWord'; Data = [System.BitConverter]::ToUInt64($bytes, 0) })
            }
            default { throw "Line ${lineNumber} of '$Path' has a registry type this module does not import: hex($($type.ToString('x')))." }
        }
    }
    if ($null -ne $current) { $records.Add([pscustomobject]@{ Path = $current; Values = $currentValues.ToArray() }) }
    $records.ToArray()
}
