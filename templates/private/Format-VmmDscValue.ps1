function Format-VmmDscValue {
    <#
    .SYNOPSIS
        Writes a DSC property value for a Reasons phrase: 'text', 24, True, ('a', 'b'), or null.
    .PARAMETER Value
        The value.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [AllowNull()]
        [object] $Value
    )

    if ($null -eq $Value) {
        return 'null'
    }
    if ($Value -is [string]) {
        return "'" + $Value + "'"
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = @(foreach ($item in $Value) { Format-VmmDscValue -Value $item })
        if ($items.Count -eq 0) {
            return '(none)'
        }
        return '(' + ($items -join ', ') + ')'
    }
    if ($Value -is [datetime]) {
        return $Value.ToUniversalTime().ToString('yyyy-MM-dd HH:mm:ss') + ' UTC'
    }
    return [string]$Value
}
