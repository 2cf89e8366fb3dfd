function ConvertTo-VmmJsonString {
    <#
    .SYNOPSIS
        Returns a string as a JSON string literal (quotes included), escaping quotes, backslashes and control
        characters, for the manifests written without ConvertTo-Json (which is slow on large lists in 5.1).
    .PARAMETER Value
        The text.
    #>
    param(
        [string] $Value
    )

    if ($null -eq $Value) { $Value = '' }
    $escaped = $Value.Replace('\', '\\').Replace('"', '\"')
    if ($escaped -match '[\x00-\x1f\u2028\u2029]') {
        $builder = New-Object -TypeName System.Text.StringBuilder
        foreach ($c in $escaped.ToCharArray()) {
            $code = [int]$c
            if ($code -lt 0x20 -or $code -eq 0x2028 -or $code -eq 0x2029) {
                $null = $builder.Append(('\u{0:x4}' -f $code))
            } else {
                $null = $builder.Append($c)
            }
        }
        $escaped = $builder.ToString()
    }
    '"' + $escaped + '"'
}
