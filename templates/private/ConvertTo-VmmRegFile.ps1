function ConvertTo-VmmRegFile {
    <#
    .SYNOPSIS
        Renders registry key records (Read-VmmRegistryTree) as the text of a .reg file regedit can import.
    .DESCRIPTION
        Writes what regedit's Export writes: the "Windows Registry Editor Version 5.00" header, then each key
        as [path] followed by its values and a blank line, with CRLF line ends. The caller writes the text as
        UTF-16LE with a byte order mark, as regedit does.
            REG_SZ        "name"="data"  (\ and " escaped as \\ and \")
            REG_DWORD     dword:0000002a
            REG_QWORD     hex(b):  8 bytes, little endian
            REG_EXPAND_SZ hex(2):  UTF-16LE with the terminating NUL
            REG_MULTI_SZ  hex(7):  each string UTF-16LE with its NUL, then a final NUL
            REG_BINARY    hex:     the bytes
            REG_NONE      hex(0):  the bytes
        Hex data wraps like regedit: after a comma, once the line reaches 77 characters it ends with "\" and
        continues on the next line after two spaces (lines never exceed 80 characters unless a value name alone
        is longer). A REG_SZ value holding a line break or NUL cannot be written as "..." (regedit would cut it
        at the line end on import), so it is written as hex(1): (the same REG_SZ type, UTF-16LE with its NUL).
    .PARAMETER Key
        Key records: Path, and Values of Name, Kind, Data.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Key
    )

    $crlf = "`r`n"
    $text = New-Object System.Text.StringBuilder
    $null = $text.Append('Windows Registry Editor Version 5.00').Append($crlf).Append($crlf)
    $unicode = New-Object System.Text.UnicodeEncoding($false, $false)

    foreach ($record in $Key) {
        $null = $text.Append('[').Append([string]$record.Path).Append(']').Append($crlf)
        foreach ($value in @($record.Values)) {
            $name = [string]$value.Name
            if ($name.Length -eq 0) {
                $prefix = '@='
            } else {
                $prefix = '"' + $name.Replace('\', '\\').Replace('"', '\"') + '"='
            }
            $hexType = $null
            [byte[]] $bytes = @()
            $line = $null
            switch ([string]$value.Kind) {
                'String' {
                    $data = [string]$value.Data
                    if ($data.IndexOfAny([char[]]@("`r", "`n", [char]0)) -ge 0) {
                        $hexType = 'hex(1):'
                        $bytes = $unicode.GetBytes($data + [char]0)
                    } else {
                        $line = $prefix + '"' + $data.Replace('\', '\\').Replace('"', '\"') + '"'
                    }
                }
                'ExpandString' {
                    $hexType = 'hex(2):'
                    $bytes = $unicode.GetBytes([string]$value.Data + [char]0)
                }
                'MultiString' {
                    $hexType = 'hex(7):'
                    $joined = ''
                    foreach ($item in @($value.Data)) { $joined += [string]$item + [char]0 }
                    $bytes = $unicode.GetBytes($joined + [char]0)
                }
                'DWord' {
                    $number = [long]$value.Data
                    if ($number -lt 0) { $number += 4294967296 }
                    if ($number -lt 0 -or $number -gt 4294967295) { throw "The REG_DWORD value '$name' of '$($record.Path)' is out of range: $($value.Data)." }
                    $line = $prefix + 'dword:' + $number.ToString('x8', [System.Globalization.CultureInfo]::InvariantCulture)
                }
                'QWord' {
                    $hexType = 'hex(b):'
                    $number = [decimal]$value.Data
                    if ($number -lt 0) { $bytes = [System.BitConverter]::GetBytes([long]$number) } else { $bytes = [System.BitConverter]::GetBytes([uint64]$number) }
                    if (-not [System.BitConverter]::IsLittleEndian) { [array]::Reverse($bytes) }
                }
                'Binary' {
                    $hexType = 'hex:'
                    $bytes = [byte[]]@($value.Data)
                }
                'None' {
                    $hexType = 'hex(0):'
                    $bytes = [byte[]]@($value.Data)
                }
                default {
                    throw "The value '$name' of '$($record.Path)' has a kind a .reg file cannot carry: '$($value.Kind)'."
                }
            }
            if ($null -eq $line) {
                $out = New-Object System.Text.StringBuilder
                $null = $out.Append($prefix).Append($hexType)
                $lineLength = $prefix.Length + $hexType.Length
                for ($i = 0; $i -lt $bytes.Length; $i++) {
                    $null = $out.Append($bytes[$i].ToString('x2', [System.Globalization.CultureInfo]::InvariantCulture))
                    if ($i -eq $bytes.Length - 1) { break }
                    $null = $out.Append(',')
                    $lineLength += 3
                    if ($lineLength -ge 77) {
                        $null = $out.Append('\').Append($crlf).Append('  ')
                        $lineLength = 2
                    }
                }
                $line = $out.ToString()
            }
            $null = $text.Append($line).Append($crlf)
        }
        $null = $text.Append($crlf)
    }
    $text.ToString()
}
